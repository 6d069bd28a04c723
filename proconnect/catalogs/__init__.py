"""Translation catalogs: the Babel extractor for form definitions and the ``proconnect translations`` commands."""
