"""Accounts of the people who run the project (coordinators, admins); refugees never need one."""
