"""XLSForm import and export: one converter for the command line and (later) the staff area's upload.

``read_xlsform(bytes or path, form_id)`` -> ``Conversion`` (definition data, translations, problems per row);
``save_definition(conversion, forms_dir)`` writes the next ``vN.toml`` and checks it like ``forms check``;
``write_xlsform(definition, catalogs)`` -> the bytes of an ``.xlsx`` that imports to the same definition.
"""
from .codes import SheetProblem, XlsCode
from .reader import Conversion, Translation, language_code, read_xlsform
from .saving import definition_text, next_version, placed, save_definition
from .translations import add_translations, catalog_texts
from .writer import write_xlsform

__all__ = ["Conversion", "SheetProblem", "Translation", "XlsCode", "add_translations", "catalog_texts",
           "definition_text", "language_code", "next_version", "placed", "read_xlsform", "save_definition", "write_xlsform"]
