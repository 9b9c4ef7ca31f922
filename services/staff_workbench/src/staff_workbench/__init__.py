"""Staff workbench (人社经办工作台): the web pages district staff work in every day."""
