"""Contract tests against recorded fixtures (`fixtures/*.yaml`, format in `fixtures/README.md`)."""
