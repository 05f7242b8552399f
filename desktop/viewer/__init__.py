"""Viewing stored files inside the app (images, PDF pages), decrypted in memory only."""
