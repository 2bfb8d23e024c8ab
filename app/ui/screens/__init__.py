"""The app's screens: the main workbench and what it needs until the response side lands."""
