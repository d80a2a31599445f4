"""Generators of hostile files, built at test time."""
