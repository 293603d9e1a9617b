"""Headless commands of the newsmark CLI, one module each."""
