"""Extraction pipeline: report file -> normalised text -> structure -> entities and relations.

Stages (each a small module with a typed, dataclass interface):
``read`` -> ``segment`` -> ``recommendations`` / ``citations`` / ``organisations`` /
``commissioning`` / ``gaps`` -> ``pipeline`` (ties them together into an ``Extraction``).
Nothing here imports click, rdflib or networkx at module level.
"""
