"""The app's screens: the main workbench, its layout actions and what its request keys do."""
