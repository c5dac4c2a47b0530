"""Build: the command line, the stage list, the private state and the one place that writes files."""
