"""Outage notices (停热 / 停水 / 停气): the notice model, its lifecycle and its feeds.

The app is installed from the start so the layout is the one later work fills in."""
