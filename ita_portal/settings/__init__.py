"""Settings package: ``base`` holds what every environment shares; ``local``, ``test`` and ``production``
add to it. Values come from environment variables (see docs/operations/configuration.md)."""
