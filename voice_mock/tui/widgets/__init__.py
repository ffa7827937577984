"""Reusable display widgets: they render data handed to them and never touch the store."""
