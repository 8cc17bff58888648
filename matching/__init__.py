"""The matching engine: is this petition line a registered voter? Pure Python, no Django.

See matching/README.md for where a line goes, module by module.
"""
