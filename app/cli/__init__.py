"""`sluice` on the command line: the headless runner, import/export, and the printers that consume the bus."""
