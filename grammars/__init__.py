"""The shipped grammars and template data (installed as ``govreport.grammars``)."""
