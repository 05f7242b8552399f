"""Cryptographic building blocks of the encrypted store (no I/O policy, no Qt)."""
