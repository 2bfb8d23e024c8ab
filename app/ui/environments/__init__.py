"""Environments in the workbench: the picker/editor screen and the offer to move secrets into `.env`."""
