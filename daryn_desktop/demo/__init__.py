"""Realistic synthetic data for trying the application and for benchmarks."""
