"""Models of the contract wing; grants.models imports them, so the app registry finds them
under the ``grants`` label."""
