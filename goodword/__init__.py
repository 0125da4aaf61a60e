"""Goodword: a reference relationship manager for job seekers."""

__version__ = "0.1.0"
