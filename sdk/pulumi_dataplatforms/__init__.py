"""Pulumi resources for Eloq, Ardent, Coherent Spark and Aerostack.

from pulumi_dataplatforms import eloq
"""

from . import aerostack, ardent, eloq, spark

__all__ = ["aerostack", "ardent", "eloq", "spark"]
