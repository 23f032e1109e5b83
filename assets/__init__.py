"""Dagster wiring of the pipeline: assets, checks, resources, sensors and schedules.

The domain logic lives in :mod:`pipeline`; this package only moves frames between its functions.
"""
