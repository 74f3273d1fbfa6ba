"""The engine side: typed REST clients and Pulumi dynamic providers."""
