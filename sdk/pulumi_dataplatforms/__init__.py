"""Pulumi resources for Eloq, Ardent, Coherent Spark and Aerostack.

    from pulumi_dataplatforms import eloq
"""

from . import eloq, spark

__all__ = ["eloq", "spark"]
