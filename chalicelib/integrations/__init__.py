"""One module per outside service; each takes its client as an argument."""
