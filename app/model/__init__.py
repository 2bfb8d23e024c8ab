"""Requests, collections, environments: dataclasses and their files. No network, no UI."""
