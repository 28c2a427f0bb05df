"""Outage notices of partner utilities (water, gas, power companies), imported from their RSS
or Atom feeds: the sources and entries (`models`), the import (`importer`, parsing in
importers.partner_feed) and its admin (`admin_views`)."""
