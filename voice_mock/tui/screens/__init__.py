"""One module per screen; each owns its feature and its key bindings."""
