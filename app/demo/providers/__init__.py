"""LLM provider look-alikes: one module per provider turns the scripted reply into its wire payloads."""
