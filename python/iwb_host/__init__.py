"""Bootstrap run before the SDK shims."""
