"""The web app, the REST API and the MCP server over the store (next issue).

Views call the analysis functions and the store's public interface, never SQL.
"""
