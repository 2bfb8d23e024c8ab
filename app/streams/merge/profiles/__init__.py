"""Built-in merge profiles, one module per provider or seed API."""
