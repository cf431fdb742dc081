"""HTTP API, staff web page and command line: the only layer that knows HTTP and the CLI."""
