"""Parsers of outside formats into plain Python data. Nothing here touches the database or
imports a Django app: the apps decide what the parsed data becomes."""
