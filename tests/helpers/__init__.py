"""Test helpers: record factories, GDELT rows, web pages and a local HTTP server."""
