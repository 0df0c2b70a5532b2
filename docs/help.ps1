#!/usr/bin/env pwsh
<#
.SYNOPSIS
    NetNs help tooling: keeps docs/en-US/*.md in PlatyPS's markdown schema (2.0.0) and compiles it to MAML.
.DESCRIPTION
    PlatyPS cannot be installed where NetNs is built, so this script does its two jobs:

    -Update   Imports the built module and, for every exported cmdlet, creates or refreshes
              <DocsPath>/<Cmdlet>.md. It regenerates SYNTAX, the yaml block(s) of every parameter,
              INPUTS and OUTPUTS from the compiled cmdlet's metadata; it keeps every piece of prose
              (synopsis, description, examples, parameter and type descriptions, notes, links) as it is.
              A new parameter or type gets a '{{ TODO ... }}' placeholder, which Help.Tests.ps1 rejects.
              It also creates about_<Module>.md from a template when it is missing.
    -Compile  Reads the markdown (no module needed) and writes <OutPath>/<Module>.dll-Help.xml (MAML, what
              Get-Help reads for binary cmdlets) and about_*.help.txt for every about_*.md.

    Dot-source the script (no switch) to get its functions, e.g. Read-HelpMarkdown, for tests.
.EXAMPLE
    ./docs/help.ps1 -Update
.EXAMPLE
    ./docs/help.ps1 -Compile -DocsPath docs/en-US -OutPath out/NetNs/en-US
#>
[CmdletBinding()]
param(
    # Create or refresh the markdown files from the built module.
    [switch] $Update,

    # Compile the markdown files into MAML and about_*.help.txt.
    [switch] $Compile,

    # Folder of the markdown files.
    [string] $DocsPath = (Join-Path $PSScriptRoot 'en-US'),

    # The built module manifest (for -Update).
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1'),

    # Output folder of the compiled help (for -Compile).
    [string] $OutPath = (Join-Path $PSScriptRoot '../out/NetNs/en-US')
)

$script:HelpModuleName = 'NetNs'
$script:HelpFileName = 'NetNs.dll-Help.xml'
$script:Nl = "`n"
$script:SectionOrder = @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:CommonParametersText = 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'
$script:StandardParameterText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs: the exact command lines are printed and nothing is changed.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown reading

# Splits lines into blocks at headings of exactly the given level ('##' or '###'), ignoring headings inside
# ``` fences. Returns @{ Preamble = lines before the first heading; Blocks = @(@{ Title; Lines }) }.
function Split-MarkdownBlock {
    param([string[]] $Lines, [string] $Level)
    $pre = [System.Collections.Generic.List[string]]::new()
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $inFence = $false
    $prefix = $Level + ' '
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($prefix)) {
            $current = @{ Title = $line.Substring($prefix.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
            $blocks.Add($current)
            continue
        }
        if ($null -eq $current) { $pre.Add($line) } else { $current.Lines.Add($line) }
    }
    @{ Preamble = @($pre); Blocks = @($blocks) }
}

# Removes leading and trailing blank lines.
function Get-TrimmedLines {
    param([AllowNull()][AllowEmptyCollection()][string[]] $Lines)
    if ($null -eq $Lines) { return }
    $a = 0; $b = $Lines.Count - 1
    while ($a -le $b -and [string]::IsNullOrWhiteSpace($Lines[$a])) { $a++ }
    while ($b -ge $a -and [string]::IsNullOrWhiteSpace($Lines[$b])) { $b-- }
    if ($a -gt $b) { return }
    $Lines[$a..$b]
}

# Parses the lines of a ```yaml block (key: value) into an ordered dictionary.
function ConvertFrom-HelpYaml {
    param([string[]] $Lines)
    $map = [ordered]@{}
    foreach ($l in $Lines) {
        if ($l -match '^\s*([^:]+):\s*(.*)$') { $map[$Matches[1].Trim()] = $Matches[2].Trim() }
    }
    $map
}

# Reads one command help markdown file into a hashtable:
#   Path, Header (ordered key/values), HeaderLines, Name, Sections (ordered: title -> lines),
#   Synopsis, Description, Notes (lines), Syntax (list of @{ SetName; IsDefault; Text }),
#   Examples (list of @{ Title; Intro; Code; Remarks }), Parameters (ordered: name -> @{ Name; Description; Yaml = list }),
#   Inputs / Outputs (ordered: type -> description lines), Links (list of @{ Text; Uri }).
function Read-HelpMarkdown {
    param([Parameter(Mandatory)][string] $Path)
    $text = [IO.File]::ReadAllText($Path) -replace "`r`n", "`n"
    $lines = $text -split "`n"
    $doc = @{ Path = $Path; Header = [ordered]@{}; HeaderLines = @(); Name = $null; Sections = [ordered]@{} }
    $i = 0
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $end = [array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { throw "$($Path): the metadata header has no closing '---'." }
        $doc.HeaderLines = if ($end -gt 1) { @($lines[1..($end - 1)]) } else { @() }
        $doc.Header = ConvertFrom-HelpYaml $doc.HeaderLines
        $i = $end + 1
    }
    $rest = if ($i -lt $lines.Count) { @($lines[$i..($lines.Count - 1)]) } else { @() }
    $top = Split-MarkdownBlock -Lines $rest -Level '#'
    if ($top.Blocks.Count -lt 1) { throw "$($Path): no '# Name' heading." }
    $doc.Name = $top.Blocks[0].Title
    $sections = Split-MarkdownBlock -Lines $top.Blocks[0].Lines -Level '##'
    foreach ($s in $sections.Blocks) {
        $key = $s.Title.ToUpperInvariant()
        if ($doc.Sections.Contains($key)) { throw "$($Path): section '## $($s.Title)' appears twice." }
        $doc.Sections[$key] = @(Get-TrimmedLines $s.Lines)
    }
    $doc.Synopsis = @(Get-SectionLines $doc 'SYNOPSIS')
    $doc.Description = @(Get-SectionLines $doc 'DESCRIPTION')
    $doc.Notes = @(Get-SectionLines $doc 'NOTES')
    $doc.Syntax = @(Read-SyntaxSection @(Get-SectionLines $doc 'SYNTAX'))
    $doc.Examples = @(Read-ExampleSection @(Get-SectionLines $doc 'EXAMPLES'))
    $doc.Parameters = Read-ParameterSection @(Get-SectionLines $doc 'PARAMETERS')
    $doc.Inputs = Read-TypeSection @(Get-SectionLines $doc 'INPUTS')
    $doc.Outputs = Read-TypeSection @(Get-SectionLines $doc 'OUTPUTS')
    $doc.Links = @(Read-LinkSection @(Get-SectionLines $doc 'RELATED LINKS'))
    $doc
}

function Get-SectionLines {
    param($Doc, [string] $Title)
    if ($Doc.Sections.Contains($Title)) { $Doc.Sections[$Title] }
}

# Returns the contents of each ``` fence in the lines, as @{ Language; Lines }, and the non-fence lines.
function Split-Fence {
    param([string[]] $Lines)
    $fences = [System.Collections.Generic.List[object]]::new()
    $before = [System.Collections.Generic.List[string]]::new()
    $after = [System.Collections.Generic.List[string]]::new()
    $current = $null
    foreach ($l in $Lines) {
        if ($null -ne $current) {
            if ($l -match '^\s*```\s*$') { $fences.Add($current); $current = $null; continue }
            $current.Lines.Add($l)
            continue
        }
        if ($l -match '^\s*```(\S*)\s*$') {
            $current = @{ Language = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        if ($fences.Count -eq 0) { $before.Add($l) } else { $after.Add($l) }
    }
    if ($null -ne $current) { throw "A code fence is not closed: $($current.Lines -join ' ')" }
    @{ Fences = @($fences); Before = @(Get-TrimmedLines $before); After = @(Get-TrimmedLines $after) }
}

function Read-SyntaxSection {
    param([string[]] $Lines)
    $split = Split-MarkdownBlock -Lines $Lines -Level '###'
    $items = @()
    if ($split.Blocks.Count -eq 0) {
        foreach ($f in (Split-Fence $split.Preamble).Fences) {
            $items += @{ SetName = '__AllParameterSets'; IsDefault = $true; Text = ($f.Lines -join ' ') -replace '\s+', ' ' }
        }
        return $items
    }
    foreach ($b in $split.Blocks) {
        $isDefault = $b.Title -match '\s*\(Default\)$'
        $name = ($b.Title -replace '\s*\(Default\)$', '').Trim()
        foreach ($f in (Split-Fence $b.Lines).Fences) {
            $items += @{ SetName = $name; IsDefault = [bool]$isDefault; Text = ($f.Lines -join ' ') -replace '\s+', ' ' }
        }
    }
    $items
}

function Read-ExampleSection {
    param([string[]] $Lines)
    foreach ($b in (Split-MarkdownBlock -Lines $Lines -Level '###').Blocks) {
        $f = Split-Fence $b.Lines
        @{
            Title   = $b.Title
            Intro   = @($f.Before)
            Code    = (@($f.Fences | ForEach-Object { $_.Lines -join "`n" }) -join "`n`n")
            Remarks = @($f.After)
        }
    }
}

function Read-ParameterSection {
    param([string[]] $Lines)
    $result = [ordered]@{}
    foreach ($b in (Split-MarkdownBlock -Lines $Lines -Level '###').Blocks) {
        if ($b.Title -notmatch '^-(\S+)$') { continue }   # CommonParameters and other non-parameter blocks
        $name = $Matches[1]
        $f = Split-Fence $b.Lines
        $result[$name] = @{
            Name        = $name
            Description = @($f.Before)
            Yaml        = @($f.Fences | Where-Object { $_.Language -eq 'yaml' } | ForEach-Object { ConvertFrom-HelpYaml $_.Lines })
        }
    }
    $result
}

function Read-TypeSection {
    param([string[]] $Lines)
    $result = [ordered]@{}
    $split = Split-MarkdownBlock -Lines $Lines -Level '###'
    foreach ($b in $split.Blocks) { $result[$b.Title] = @(Get-TrimmedLines $b.Lines) }
    $result
}

function Read-LinkSection {
    param([string[]] $Lines)
    foreach ($l in $Lines) {
        foreach ($m in [regex]::Matches($l, '\[([^\]]+)\]\(([^)]*)\)')) {
            @{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value }
        }
    }
}

#endregion

#region Metadata of the compiled cmdlets

# The short type name PlatyPS shows (String[], Int32, SwitchParameter); Nullable<T> shows as T.
function Get-ShortTypeName {
    param([type] $Type)
    $u = [Nullable]::GetUnderlyingType($Type)
    if ($u) { $Type = $u }
    $Type.Name
}

function Get-FullTypeName {
    param([type] $Type)
    $u = [Nullable]::GetUnderlyingType($Type)
    if ($u) { $Type = $u }
    $Type.FullName
}

function Get-HelpParameterExcluded {
    param([string] $Name)
    ([System.Management.Automation.Cmdlet]::CommonParameters -contains $Name) -or $Name -eq 'UseTransaction'
}

# Default values a new cmdlet object holds; 'None' for empty, null and empty collections, 'False' for switches.
function Get-DefaultValueMap {
    param([System.Management.Automation.CmdletInfo] $Command)
    $map = @{}
    $instance = $null
    try { $instance = [Activator]::CreateInstance($Command.ImplementingType) } catch { $instance = $null }
    foreach ($p in $Command.Parameters.Values) {
        $value = 'None'
        if ($p.ParameterType -eq [System.Management.Automation.SwitchParameter]) { $value = 'False' }
        elseif ($null -ne $instance) {
            $prop = $Command.ImplementingType.GetProperty($p.Name)
            if ($prop) {
                $v = $prop.GetValue($instance)
                if ($null -ne $v -and $v -isnot [array] -and "$v" -ne '') {
                    $value = [Convert]::ToString($v, [Globalization.CultureInfo]::InvariantCulture)
                }
            }
        }
        $map[$p.Name] = $value
    }
    $map
}

# The metadata of one cmdlet as the markdown needs it:
#   Name, Sets (list of @{ Name; IsDefault; Parameters = ordered names }), Parameters (ordered: name -> @{
#   Name; Type; FullType; IsSwitch; Aliases; AcceptedValues; Globbing; Default; PerSet (setName -> @{ Required; Position; Pipeline }) }),
#   Inputs, Outputs (full type names).
function Get-CommandHelpMetadata {
    param([System.Management.Automation.CmdletInfo] $Command)
    $defaults = Get-DefaultValueMap $Command
    $sets = @()
    $params = [ordered]@{}
    $orderedSets = @($Command.ParameterSets | Sort-Object @{ Expression = { -not $_.IsDefault } }, @{ Expression = { $_.Name } })
    foreach ($set in $orderedSets) {
        # PowerShell's own display order: take it from the set's syntax string.
        $display = $set.ToString()
        $order = [System.Collections.Generic.List[string]]::new()
        foreach ($m in [regex]::Matches($display, '(?<![\w-])-(\w+)')) {
            if ($set.Parameters.Name -contains $m.Groups[1].Value -and -not $order.Contains($m.Groups[1].Value)) { $order.Add($m.Groups[1].Value) }
        }
        foreach ($p in $set.Parameters) { if (-not $order.Contains($p.Name)) { $order.Add($p.Name) } }
        $names = @($order | Where-Object { -not (Get-HelpParameterExcluded $_) })
        $sets += @{ Name = $set.Name; IsDefault = $set.IsDefault; Parameters = $names }
        foreach ($name in $names) {
            $p = $set.Parameters | Where-Object Name -EQ $name
            if (-not $params.Contains($name)) {
                $info = $Command.Parameters[$name]
                $accepted = @($info.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { $_.ValidValues })
                $params[$name] = @{
                    Name           = $name
                    Type           = Get-ShortTypeName $info.ParameterType
                    FullType       = Get-FullTypeName $info.ParameterType
                    IsSwitch       = $info.ParameterType -eq [System.Management.Automation.SwitchParameter]
                    IsArray        = $info.ParameterType.IsArray
                    Aliases        = @($info.Aliases)
                    AcceptedValues = $accepted
                    Globbing       = [bool]($info.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                    Default        = $defaults[$name]
                    PerSet         = [ordered]@{}
                }
            }
            $pipe = @()
            if ($p.ValueFromPipelineByPropertyName) { $pipe += 'ByPropertyName' }
            if ($p.ValueFromPipeline) { $pipe += 'ByValue' }
            $params[$name].PerSet[$set.Name] = @{
                Required = [bool]$p.IsMandatory
                Position = if ($p.Position -ge 0) { [string]$p.Position } else { 'Named' }
                Pipeline = if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }
            }
        }
    }
    # Parameter order in PARAMETERS: as the sets show them (default set first), WhatIf and Confirm last.
    $ordered = [ordered]@{}
    foreach ($k in $params.Keys) { if ($k -notin 'WhatIf', 'Confirm') { $ordered[$k] = $params[$k] } }
    foreach ($k in 'Confirm', 'WhatIf') { if ($params.Contains($k)) { $ordered[$k] = $params[$k] } }

    $inputs = @()
    foreach ($p in $ordered.Values) {
        foreach ($set in $Command.ParameterSets) {
            $sp = $set.Parameters | Where-Object Name -EQ $p.Name
            if ($sp -and ($sp.ValueFromPipeline -or $sp.ValueFromPipelineByPropertyName) -and $inputs -notcontains $p.FullType) { $inputs += $p.FullType }
        }
    }
    $outputs = @($Command.OutputType | ForEach-Object { $_.Name } | Where-Object { $_ -ne 'System.Void' } | Select-Object -Unique)
    @{ Name = $Command.Name; Sets = $sets; Parameters = $ordered; Inputs = $inputs; Outputs = $outputs }
}

#endregion

#region Markdown writing

function Get-SyntaxText {
    param($Meta, $Set)
    $parts = @($Meta.Name)
    foreach ($name in $Set.Parameters) {
        $p = $Meta.Parameters[$name]
        $ps = $p.PerSet[$Set.Name]
        if ($p.IsSwitch) { $s = "[-$name]" }
        else {
            $s = "-$name"
            if ($ps.Position -ne 'Named') { $s = "[$s]" }
            $s = "$s <$($p.Type)>"
            if (-not $ps.Required) { $s = "[$s]" }
        }
        $parts += $s
    }
    $parts += '[<CommonParameters>]'
    # Wrap like PlatyPS: at most 110 characters a line, continuation lines start with a space.
    $out = [System.Text.StringBuilder]::new()
    $lineLength = 0
    foreach ($part in $parts) {
        if ($out.Length -eq 0) { [void]$out.Append($part); $lineLength = $part.Length; continue }
        if ($lineLength + 1 + $part.Length -gt 110) { [void]$out.Append("`n"); $lineLength = 0 }
        [void]$out.Append(' ').Append($part)
        $lineLength += 1 + $part.Length
    }
    $out.ToString()
}

function Get-SyntaxSectionText {
    param($Meta)
    $sb = [System.Collections.Generic.List[string]]::new()
    foreach ($set in $Meta.Sets) {
        if ($Meta.Sets.Count -gt 1) {
            $sb.Add("### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })")
        }
        $sb.Add('```')
        $sb.Add((Get-SyntaxText $Meta $set))
        $sb.Add('```')
        $sb.Add('')
    }
    Get-TrimmedLines $sb
}

function Get-ParameterSectionText {
    param($Meta, $Old)
    $sb = [System.Collections.Generic.List[string]]::new()
    $allSets = @($Meta.Sets | ForEach-Object Name)
    foreach ($p in $Meta.Parameters.Values) {
        $sb.Add("### -$($p.Name)")
        $desc = @()
        if ($Old.Contains($p.Name)) { $desc = @($Old[$p.Name].Description) }
        if ($desc.Count -eq 0) {
            $desc = if ($script:StandardParameterText.Contains($p.Name)) { @($script:StandardParameterText[$p.Name]) } else { @("{{ TODO: describe -$($p.Name) }}") }
        }
        foreach ($d in $desc) { $sb.Add($d) }
        $sb.Add('')
        # One yaml block per group of sets in which the parameter behaves the same (as PlatyPS does).
        $groups = [System.Collections.Generic.List[object]]::new()
        foreach ($setName in $p.PerSet.Keys) {
            $v = $p.PerSet[$setName]
            $g = $groups | Where-Object { $_.Value.Required -eq $v.Required -and $_.Value.Position -eq $v.Position -and $_.Value.Pipeline -eq $v.Pipeline } | Select-Object -First 1
            if ($g) { $g.Sets.Add($setName) } else { $groups.Add(@{ Value = $v; Sets = [System.Collections.Generic.List[string]]@($setName) }) }
        }
        foreach ($g in $groups) {
            $setsText = if ($allSets.Count -eq 1 -or $g.Sets.Count -eq $allSets.Count) { '(All)' } else { $g.Sets -join ', ' }
            $sb.Add('```yaml')
            $sb.Add("Type: $($p.Type)")
            $sb.Add("Parameter Sets: $setsText")
            $sb.Add(('Aliases: ' + ($p.Aliases -join ', ')).TrimEnd())
            if ($p.AcceptedValues.Count -gt 0) { $sb.Add("Accepted values: $($p.AcceptedValues -join ', ')") }
            $sb.Add('')
            $sb.Add("Required: $($g.Value.Required)")
            $sb.Add("Position: $($g.Value.Position)")
            $sb.Add("Default value: $($p.Default)")
            $sb.Add("Accept pipeline input: $($g.Value.Pipeline)")
            $sb.Add("Accept wildcard characters: $($p.Globbing)")
            $sb.Add('```')
            $sb.Add('')
        }
    }
    $sb.Add('### CommonParameters')
    $sb.Add($script:CommonParametersText)
    $sb
}

function Get-TypeSectionText {
    param([string[]] $Types, $Old, [string] $What)
    $sb = [System.Collections.Generic.List[string]]::new()
    if ($Types.Count -eq 0) { $Types = @('None') }
    foreach ($t in $Types) {
        $sb.Add("### $t")
        $desc = @(if ($Old.Contains($t)) { $Old[$t] })
        if ($desc.Count -eq 0) { $desc = @("{{ TODO: describe the $What $t }}") }
        foreach ($d in $desc) { $sb.Add($d) }
        $sb.Add('')
    }
    Get-TrimmedLines $sb
}

function Get-TemplateSection {
    param([string] $Title, [string] $Name)
    switch ($Title) {
        'SYNOPSIS' { '{{ TODO: one sentence: what the cmdlet does }}' }
        'DESCRIPTION' { '{{ TODO: what it does, the tool it follows, units, errors (ErrorId and category), -WhatIf behaviour }}' }
        'EXAMPLES' {
            @('### Example 1: {{ TODO: title }}', '```powershell', "{{ TODO: $Name ... }}", '```', '', '{{ TODO: what the example does and shows }}')
        }
        'NOTES' { 'NetNs needs root (or the capabilities CAP_NET_ADMIN and CAP_SYS_ADMIN) to change namespaces and links.' }
        'RELATED LINKS' { '[about_NetNs](about_NetNs.md)' }
        default { }
    }
}

# Renders the markdown text of a command from its metadata and the existing document (or none).
function Get-UpdatedMarkdown {
    param($Meta, $Old)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('---')
    $header = [ordered]@{ 'external help file' = $script:HelpFileName; 'Module Name' = $script:HelpModuleName; 'online version' = ''; 'schema' = '2.0.0' }
    if ($Old) { foreach ($k in $Old.Header.Keys) { if (-not $header.Contains($k)) { $header[$k] = $Old.Header[$k] } elseif ($k -eq 'online version') { $header[$k] = $Old.Header[$k] } } }
    foreach ($k in $header.Keys) { $lines.Add(("${k}: " + $header[$k]).TrimEnd()) }
    $lines.Add('---')
    $lines.Add('')
    $lines.Add("# $($Meta.Name)")
    $lines.Add('')
    $oldParams = if ($Old) { $Old.Parameters } else { [ordered]@{} }
    foreach ($title in $script:SectionOrder) {
        $body = @(switch ($title) {
            'SYNTAX' { Get-SyntaxSectionText $Meta }
            'PARAMETERS' { Get-ParameterSectionText $Meta $oldParams }
            'INPUTS' { Get-TypeSectionText $Meta.Inputs $(if ($Old) { $Old.Inputs } else { [ordered]@{} }) 'input' }
            'OUTPUTS' { Get-TypeSectionText $Meta.Outputs $(if ($Old) { $Old.Outputs } else { [ordered]@{} }) 'output' }
            default {
                if ($Old -and $Old.Sections.Contains($title)) { $Old.Sections[$title] } else { Get-TemplateSection $title $Meta.Name }
            }
        })
        $lines.Add("## $title")
        $lines.Add('')
        if ($body.Count -gt 0) {
            foreach ($l in $body) { $lines.Add($l) }
            $lines.Add('')
        }
    }
    if ($Old) {
        foreach ($k in $Old.Sections.Keys) {
            if ($script:SectionOrder -notcontains $k) { Write-Warning "$($Meta.Name): section '## $k' is not part of the PlatyPS schema; it was dropped." }
        }
        foreach ($k in $Old.Parameters.Keys) {
            if (-not $Meta.Parameters.Contains($k)) { Write-Warning "$($Meta.Name): parameter -$k no longer exists; its description was dropped." }
        }
    }
    ((@($lines) -join "`n").TrimEnd() + "`n")
}

function Get-AboutTemplate {
    param([string] $Module)
    @"
# about_$Module

## about_$Module

# SHORT DESCRIPTION

{{ TODO: one sentence }}

# LONG DESCRIPTION

{{ TODO }}

# SEE ALSO

Get-Command -Module $Module
"@ + "`n"
}

function Invoke-HelpUpdate {
    param([string] $DocsPath, [string] $ModulePath)
    $module = Import-Module $ModulePath -Force -PassThru -ErrorAction Stop
    $script:HelpModuleName = $module.Name
    $script:HelpFileName = "$($module.RootModule)-Help.xml"
    if (-not (Test-Path $DocsPath)) { New-Item -ItemType Directory -Path $DocsPath | Out-Null }
    $changed = 0
    foreach ($cmd in @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
        $path = Join-Path $DocsPath "$($cmd.Name).md"
        $old = if (Test-Path $path) { Read-HelpMarkdown $path } else { $null }
        $text = Get-UpdatedMarkdown (Get-CommandHelpMetadata $cmd) $old
        $current = if (Test-Path $path) { [IO.File]::ReadAllText($path) } else { $null }
        if ($current -cne $text) {
            [IO.File]::WriteAllText($path, $text, [Text.UTF8Encoding]::new($false))
            Write-Host "$(if ($old) { 'updated' } else { 'created' }) $path"
            $changed++
        }
    }
    $about = Join-Path $DocsPath "about_$($module.Name).md"
    if (-not (Test-Path $about)) {
        [IO.File]::WriteAllText($about, (Get-AboutTemplate $module.Name), [Text.UTF8Encoding]::new($false))
        Write-Host "created $about"
        $changed++
    }
    foreach ($f in Get-ChildItem $DocsPath -Filter '*.md') {
        if ($f.BaseName -notlike 'about_*' -and -not (Get-Command -Module $module.Name -Name $f.BaseName -ErrorAction SilentlyContinue)) {
            Write-Warning "$($f.Name) documents no exported cmdlet of $($module.Name)."
        }
    }
    Write-Host "Help markdown: $changed file(s) changed in $DocsPath"
}

#endregion

#region Compiling: MAML and about_*.help.txt

# Removes PlatyPS's markdown escapes (\< \> \[ \] \( \) \` and \\).
function ConvertFrom-MarkdownEscape {
    param([string] $Text)
    [regex]::Replace($Text, '\\([\\<>\[\]()`])', '$1')
}

# Turns markdown prose into paragraphs of plain text: blank lines separate paragraphs, soft line breaks are
# joined, list items and fenced code keep their lines, links become 'text (uri)'.
function ConvertTo-HelpParagraph {
    param([string[]] $Lines)
    $paras = [System.Collections.Generic.List[string]]::new()
    $buf = [System.Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($buf.Count -gt 0) {
            $isList = @($buf | Where-Object { $_ -match '^\s*([-*+]|\d+\.)\s' }).Count -gt 0
            $t = if ($isList) { ($buf -join "`n") } else { ($buf | ForEach-Object { $_.Trim() }) -join ' ' }
            $t = [regex]::Replace($t, '\[([^\]]+)\]\(([^)]+)\)', { param($m) if ($m.Groups[2].Value -match '^https?:') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value } })
            $paras.Add((ConvertFrom-MarkdownEscape $t))
            $buf.Clear()
        }
    }
    foreach ($l in $Lines) {
        if ($null -ne $code) {
            if ($l -match '^\s*```\s*$') { $paras.Add(($code | ForEach-Object { '    ' + $_ }) -join "`n"); $code = $null } else { $code.Add($l) }
            continue
        }
        if ($l -match '^\s*```') { & $flush; $code = [System.Collections.Generic.List[string]]::new(); continue }
        if ([string]::IsNullOrWhiteSpace($l)) { & $flush; continue }
        $buf.Add($l)
    }
    & $flush
    $paras
}

function Add-XmlParagraphs {
    param([System.Xml.XmlWriter] $W, [string[]] $Lines)
    $paras = @(ConvertTo-HelpParagraph $Lines)
    if ($paras.Count -eq 0) { $W.WriteElementString('maml', 'para', $script:Maml, ''); return }
    foreach ($p in $paras) { $W.WriteElementString('maml', 'para', $script:Maml, $p) }
}

$script:Maml = 'http://schemas.microsoft.com/maml/2004/10'
$script:Cmd = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

# The parameter metadata a document gives for one parameter set: @{ Required; Position; Pipeline; Globbing; Default; Type; Aliases }.
function Get-DocParameterForSet {
    param($Doc, [string] $Name, [string] $SetName)
    $p = $Doc.Parameters[$Name]
    if ($null -eq $p) { return $null }
    foreach ($y in $p.Yaml) {
        $sets = @(([string]$y['Parameter Sets']).Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
        if ($sets -contains '(All)' -or $sets -contains $SetName) { return $y }
    }
    $null
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $W, $Doc, [string] $Name, $Yaml, [bool] $InSyntax)
    $type = [string]$Yaml['Type']
    $isSwitch = $type -eq 'SwitchParameter'
    $W.WriteStartElement('command', 'parameter', $script:Cmd)
    $W.WriteAttributeString('required', ([string]$Yaml['Required']).ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $(if ($type.EndsWith('[]')) { 'true' } else { 'false' }))
    $W.WriteAttributeString('globbing', ([string]$Yaml['Accept wildcard characters']).ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', [string]$Yaml['Accept pipeline input'])
    $pos = [string]$Yaml['Position']
    $W.WriteAttributeString('position', $(if ($pos -eq 'Named' -or -not $pos) { 'named' } else { $pos }))
    $aliases = [string]$Yaml['Aliases']
    $W.WriteAttributeString('aliases', $(if ($aliases) { $aliases } else { 'none' }))
    $W.WriteElementString('maml', 'name', $script:Maml, $Name)
    $W.WriteStartElement('maml', 'description', $script:Maml)
    Add-XmlParagraphs $W $Doc.Parameters[$Name].Description
    $W.WriteEndElement()
    $accepted = [string]$Yaml['Accepted values']
    if ($accepted) {
        $W.WriteStartElement('command', 'parameterValueGroup', $script:Cmd)
        foreach ($v in $accepted.Split(',')) {
            $W.WriteStartElement('command', 'parameterValue', $script:Cmd)
            $W.WriteAttributeString('required', 'false'); $W.WriteAttributeString('command', 'variableLength', $script:Cmd, 'false')
            $W.WriteString($v.Trim()); $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not ($InSyntax -and $isSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $script:Cmd)
        $W.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $W.WriteAttributeString('variableLength', $(if ($type.EndsWith('[]')) { 'true' } else { 'false' }))
        $W.WriteString($type)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $script:Dev)
    $W.WriteElementString('maml', 'name', $script:Maml, $type)
    $W.WriteElementString('maml', 'uri', $script:Maml, '')
    $W.WriteEndElement()
    $default = [string]$Yaml['Default value']
    $W.WriteElementString('dev', 'defaultValue', $script:Dev, $(if ($default) { $default } else { 'None' }))
    $W.WriteEndElement()
}

function Write-MamlTypes {
    param([System.Xml.XmlWriter] $W, [string] $Outer, [string] $Inner, $Types)
    $W.WriteStartElement('command', $Outer, $script:Cmd)
    foreach ($t in $Types.Keys) {
        $W.WriteStartElement('command', $Inner, $script:Cmd)
        $W.WriteStartElement('dev', 'type', $script:Dev)
        $W.WriteElementString('maml', 'name', $script:Maml, $t)
        $W.WriteEndElement()
        $W.WriteStartElement('maml', 'description', $script:Maml)
        Add-XmlParagraphs $W $Types[$t]
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $W, $Doc)
    $name = $Doc.Name
    $verb, $noun = $name.Split('-', 2)
    $W.WriteStartElement('command', 'command', $script:Cmd)
    $W.WriteAttributeString('xmlns', 'maml', $null, $script:Maml)
    $W.WriteAttributeString('xmlns', 'command', $null, $script:Cmd)
    $W.WriteAttributeString('xmlns', 'dev', $null, $script:Dev)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, 'http://msdn.microsoft.com/mshelp')

    $W.WriteStartElement('command', 'details', $script:Cmd)
    $W.WriteElementString('command', 'name', $script:Cmd, $name)
    $W.WriteElementString('command', 'verb', $script:Cmd, $verb)
    $W.WriteElementString('command', 'noun', $script:Cmd, $noun)
    $W.WriteStartElement('maml', 'description', $script:Maml)
    Add-XmlParagraphs $W $Doc.Synopsis
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'description', $script:Maml)
    Add-XmlParagraphs $W $Doc.Description
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'syntax', $script:Cmd)
    foreach ($s in $Doc.Syntax) {
        $W.WriteStartElement('command', 'syntaxItem', $script:Cmd)
        $W.WriteElementString('maml', 'name', $script:Maml, $name)
        foreach ($m in [regex]::Matches($s.Text, '(?<![\w-])-(\w+)')) {
            $pn = $m.Groups[1].Value
            $y = Get-DocParameterForSet $Doc $pn $s.SetName
            if ($null -ne $y) { Write-MamlParameter $W $Doc $pn $y $true }
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $script:Cmd)
    foreach ($pn in $Doc.Parameters.Keys) {
        $y = @($Doc.Parameters[$pn].Yaml)[0]
        if ($null -ne $y) { Write-MamlParameter $W $Doc $pn $y $false }
    }
    $W.WriteEndElement()

    Write-MamlTypes $W 'inputTypes' 'inputType' $Doc.Inputs
    Write-MamlTypes $W 'returnValues' 'returnValue' $Doc.Outputs

    $W.WriteStartElement('maml', 'alertSet', $script:Maml)
    $W.WriteStartElement('maml', 'alert', $script:Maml)
    Add-XmlParagraphs $W $Doc.Notes
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $script:Cmd)
    foreach ($e in $Doc.Examples) {
        $W.WriteStartElement('command', 'example', $script:Cmd)
        $W.WriteElementString('maml', 'title', $script:Maml, "-------------------------- $($e.Title) --------------------------")
        $W.WriteElementString('dev', 'code', $script:Dev, $e.Code)
        $W.WriteStartElement('dev', 'remarks', $script:Dev)
        Add-XmlParagraphs $W (@($e.Intro) + @('') + @($e.Remarks))
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $script:Cmd)
    foreach ($l in $Doc.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $script:Maml)
        $W.WriteElementString('maml', 'linkText', $script:Maml, $l.Text)
        $W.WriteElementString('maml', 'uri', $script:Maml, $(if ($l.Uri -match '^https?:') { $l.Uri } else { '' }))
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

# Word-wraps text to the width, every line starting with the indent.
function Format-WrappedText {
    param([string] $Text, [int] $Indent, [int] $Width = 80, [int] $HangingIndent = 0)
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    $prefix = ' ' * $Indent
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line.Length -gt 0 -and ($prefix.Length + $line.Length + 1 + $word.Length) -gt $Width) {
            $lines.Add($prefix + $line)
            $prefix = ' ' * ($Indent + $HangingIndent)
            $line = $word
        } else { $line = if ($line) { "$line $word" } else { $word } }
    }
    if ($line) { $lines.Add($prefix + $line) }
    $lines
}

# Renders an about_*.md file as the plain text Get-Help shows (about_*.help.txt).
function ConvertTo-AboutText {
    param([string] $Path)
    $lines = ([IO.File]::ReadAllText($Path) -replace "`r`n", "`n") -split "`n"
    $out = [System.Collections.Generic.List[string]]::new()
    $topic = $null
    $expectName = $false
    $inCode = $false
    $para = [System.Collections.Generic.List[string]]::new()
    $flush = {
        if ($para.Count -eq 0) { return }
        $text = [regex]::Replace(($para -join "`n"), '\[([^\]]+)\]\(([^)]+)\)', { param($m) if ($m.Groups[2].Value -match '^https?:') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value } })
        $text = ConvertFrom-MarkdownEscape $text
        $items = [System.Collections.Generic.List[string]]::new()
        foreach ($l in $text -split "`n") {
            if ($l -match '^\s*([-*+]|\d+\.)\s' -or $items.Count -eq 0) { $items.Add($l.Trim()) } else { $items[$items.Count - 1] += ' ' + $l.Trim() }
        }
        foreach ($item in $items) {
            $hang = if ($item -match '^([-*+]|\d+\.)\s+') { $Matches[0].Length } else { 0 }
            foreach ($w in (Format-WrappedText $item 4 80 $hang)) { $out.Add($w) }
        }
        $out.Add('')
        $para.Clear()
    }
    foreach ($l in $lines) {
        if ($inCode) {
            if ($l -match '^\s*```\s*$') { $inCode = $false; $out.Add('') } else { $out.Add(('        ' + $l).TrimEnd()) }
            continue
        }
        if ($l -match '^\s*```') { & $flush; $inCode = $true; continue }
        # PlatyPS's about schema: '# Title', then '## about_Name' (the lookup name), then '# SECTION'
        # headings with '## Subtopic' headings below them.
        if ($l -match '^# (.+)$') {
            & $flush
            if ($null -eq $topic) { $topic = $Matches[1].Trim(); $expectName = $true; continue }
            $expectName = $false
            $out.Add($Matches[1].Trim().ToUpperInvariant()); continue
        }
        if ($l -match '^## (.+)$') {
            & $flush
            if ($expectName) { $topic = $Matches[1].Trim(); $expectName = $false; continue }
            $out.Add('  ' + $Matches[1].Trim().ToUpperInvariant()); continue
        }
        if ($l -match '^###+ (.+)$') { & $flush; $out.Add('    ' + $Matches[1].Trim()); continue }
        if (-not [string]::IsNullOrWhiteSpace($l)) { $expectName = $false }
        if ([string]::IsNullOrWhiteSpace($l)) { & $flush; continue }
        $para.Add($l)
    }
    & $flush
    $out.InsertRange(0, [string[]]@('TOPIC', "    $topic", ''))
    # Collapse runs of blank lines.
    $final = [System.Collections.Generic.List[string]]::new()
    foreach ($l in $out) { if ($l -eq '' -and $final.Count -gt 0 -and $final[$final.Count - 1] -eq '') { continue }; $final.Add($l) }
    @{ Name = $topic; Text = ((@($final) -join "`n").TrimEnd() + "`n") }
}

function Invoke-HelpCompile {
    param([string] $DocsPath, [string] $OutPath)
    if (-not (Test-Path $DocsPath)) { Write-Warning "No help markdown folder at $DocsPath; no help compiled."; return }
    if (-not (Test-Path $OutPath)) { New-Item -ItemType Directory -Path $OutPath | Out-Null }
    $docs = @(Get-ChildItem $DocsPath -Filter '*.md' | Where-Object BaseName -NotLike 'about_*' | Sort-Object Name | ForEach-Object { Read-HelpMarkdown $_.FullName })
    $fileName = $script:HelpFileName
    $first = $docs | Where-Object { $_.Header.Contains('external help file') } | Select-Object -First 1
    if ($first) { $fileName = $first.Header['external help file'] }
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $target = Join-Path $OutPath $fileName
    $w = [System.Xml.XmlWriter]::Create($target, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        foreach ($d in $docs) { Write-MamlCommand $w $d }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    } finally { $w.Dispose() }
    [void][xml](Get-Content -Raw $target)   # must parse back
    $n = 0
    foreach ($a in Get-ChildItem $DocsPath -Filter 'about_*.md') {
        $about = ConvertTo-AboutText $a.FullName
        $name = if ($about.Name -match '^about_\S+$') { $about.Name } else { $a.BaseName }
        [IO.File]::WriteAllText((Join-Path $OutPath "$name.help.txt"), $about.Text, [Text.UTF8Encoding]::new($false))
        $n++
    }
    Write-Host "Help: $($docs.Count) command(s) -> $target; $n about topic(s)"
}

#endregion

if ($Update -or $Compile) { Set-StrictMode -Version Latest }
if ($Update -and $Compile) { throw 'Give either -Update or -Compile, not both.' }
if ($Update) { Invoke-HelpUpdate -DocsPath $DocsPath -ModulePath $ModulePath }
elseif ($Compile) { Invoke-HelpCompile -DocsPath $DocsPath -OutPath $OutPath }
