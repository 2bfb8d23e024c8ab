"""The embedded demo server: loopback-only streaming endpoints for trying and testing Sluice offline."""
