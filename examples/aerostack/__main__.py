"""An app backend on Aerostack: tables by migration, a seeded cache entry, an uploaded asset.

pulumi config set --secret aerostack:apiKey <key>
pulumi config set aerostack:serverUrl http://127.0.0.1:8790/aerostack/v1   # the emulator
pulumi up
"""

from pathlib import Path

import pulumi

from pulumi_dataplatforms import aerostack

config = pulumi.Config()
here = Path(__file__).resolve().parent

users = aerostack.SqlMigration(
    "001-users",
    up=[
        "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)",
        "CREATE INDEX users_email ON users (email)",
    ],
    down=["DROP INDEX users_email", "DROP TABLE users"],
    verify="SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'",
)

posts = aerostack.SqlMigration(
    "002-posts",
    up=["CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL REFERENCES users (id), body TEXT)"],
    down=["DROP TABLE posts"],
    verify="SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'posts'",
    opts=pulumi.ResourceOptions(depends_on=[users]),
)

settings = aerostack.CacheEntry(
    "app-settings",
    key="app:settings",
    value={"theme": config.get("theme") or "light", "signupOpen": True, "maxPostLength": 500},
)

logo = aerostack.StorageObject(
    "logo",
    key="assets/logo.svg",
    source=config.get("logoPath") or str(here / "assets" / "logo.svg"),
    content_type="image/svg+xml",
)

pulumi.export("usersChecksum", users.checksum)
pulumi.export("postsChecksum", posts.checksum)
pulumi.export("settingsKey", settings.key)
pulumi.export("logoUrl", logo.url)
