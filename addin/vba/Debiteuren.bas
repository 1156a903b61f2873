Attribute VB_Name = "Debiteuren"
' Ribbon callback of the debiteuren add-in: every button on the tab "Debiteuren"
' (addin/customUI14.xml) calls Debiteuren_OnAction. The button id selects the Python
' handler in debiteuren.excel.HANDLERS; all work happens in Python, none here.
' RunPython comes from the xlwings module of this add-in.
'
' Before starting Python the callback checks that there is a workbook to work on: with no
' workbook open, or with the workbook in Protected View, Excel has no ActiveWorkbook and
' xlwings would stop with VBA error 91. The user gets a short Dutch message instead. The
' status bar says that the work has started; Python then shows its progress there.
Option Explicit

Public Sub Debiteuren_OnAction(control As IRibbonControl)
    Dim problem As String
    problem = WorkbookProblem()
    If Len(problem) > 0 Then
        MsgBox problem, vbInformation, "Debiteuren"
        Exit Sub
    End If
    Application.StatusBar = "Debiteuren: bezig, even geduld..."
    RunPython "import debiteuren.excel as x; x.on_button('" & control.Id & "')"
End Sub

' Return a Dutch sentence when there is no workbook the buttons can work on, else "".
Private Function WorkbookProblem() As String
#If Mac Then
#Else
    If InProtectedView() Then
        WorkbookProblem = "Dit werkboek staat in de beveiligde weergave. Klik in de gele " _
            & "balk bovenin op 'Bewerken inschakelen' en klik daarna opnieuw op de knop."
        Exit Function
    End If
#End If
    If ActiveWorkbook Is Nothing Then
        WorkbookProblem = "Er is geen werkboek geopend. Open eerst uw debiteurenwerkboek " _
            & "en klik daarna opnieuw op de knop."
    ElseIf ActiveWorkbook.IsAddin Then
        WorkbookProblem = "Klik eerst in uw debiteurenwerkboek en daarna opnieuw op de knop."
    End If
End Function

#If Mac Then
#Else
' True when the active window is a Protected View window (Excel 2010 and later on Windows).
Private Function InProtectedView() As Boolean
    On Error Resume Next
    InProtectedView = Not (Application.ActiveProtectedViewWindow Is Nothing)
    If Err.Number <> 0 Then InProtectedView = False
    On Error GoTo 0
End Function
#End If
