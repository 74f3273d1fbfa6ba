"""Moved to `pulumi_dataplatforms_emulator.process`; this name stays until every import uses that one."""

from pulumi_dataplatforms_emulator.process import AdminClient, EmulatorProcess, credentials, free_port

__all__ = ["AdminClient", "EmulatorProcess", "credentials", "free_port"]
