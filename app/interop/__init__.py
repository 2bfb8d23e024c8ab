"""Importing and exporting requests: curl commands, Postman collections. Pure: no network, no UI."""
