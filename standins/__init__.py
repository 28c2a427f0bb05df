"""Local stand-ins for outside services, for tests, benchmarks and manual runs."""
