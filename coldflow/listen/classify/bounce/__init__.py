"""Delivery failure reports (bounces): detection and reading."""
