"""The engine side: typed REST clients and Pulumi dynamic providers."""

from . import engine_log

# In the dynamic-provider host, `pulumi.log` reaches the engine (see engine_log); elsewhere a no-op.
engine_log.install()
