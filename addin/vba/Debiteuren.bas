Attribute VB_Name = "Debiteuren"
' Ribbon callback of the debiteuren add-in: every button on the tab "Debiteuren"
' (addin/customUI14.xml) calls Debiteuren_OnAction. The button id selects the Python
' handler in debiteuren.excel.HANDLERS; all work happens in Python, none here.
' RunPython comes from the xlwings module of this add-in.
Option Explicit

Public Sub Debiteuren_OnAction(control As IRibbonControl)
    RunPython "import debiteuren.excel as x; x.on_button('" & control.Id & "')"
End Sub
