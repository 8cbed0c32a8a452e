"""Customers, domains, country rules, the Microsoft Customer Agreement, users and licences."""
