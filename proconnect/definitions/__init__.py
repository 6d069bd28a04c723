"""Form definitions: TOML files → validated, immutable form models."""
from .errors import DefinitionError, ErrorCode, Problem
from .loader import load_definition
from .model import Choice, Field, FormDefinition, Page, Score
from .registry import Registry, forms_registry, load_registry

__all__ = ["DefinitionError", "ErrorCode", "Problem", "load_definition", "Choice", "Field", "FormDefinition",
           "Page", "Score", "Registry", "forms_registry", "load_registry"]
