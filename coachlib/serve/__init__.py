"""Servers and processes a person reaches through a browser: a pack as a Voilà page
(``coach open``), JupyterLab on one pack for two people (``coach serve``), and the hub's
sharing API (``coach live``). Below the notebook layer (a notebook's Share button starts
them), above the export layer: nothing here renders a page or writes a record."""
