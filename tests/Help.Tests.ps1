# Help for every exported cmdlet: written by a person, complete, and in step with the compiled cmdlets.
# A cmdlet without docs/en-US/<Cmdlet>.md (or with placeholders left in it) fails here: run
# './build.ps1 Docs', then write the prose where the '{{ TODO ... }}' placeholders are.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:CmdletNames = @(Get-Command -Module NetNs -CommandType Cmdlet | Sort-Object Name | ForEach-Object Name)
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/../docs/help.ps1   # no switch: only its functions (Read-HelpMarkdown, Invoke-HelpUpdate, ...)
    $script:DocsPath = (Resolve-Path "$PSScriptRoot/../docs/en-US").Path
    $script:Placeholder = 'TODO|\{\{|\}\}'

    # The parameter sets of the code: set name -> @{ param name -> CommandParameterInfo }, without common parameters.
    function Get-CodeSet([string] $Name) {
        $sets = [ordered]@{}
        foreach ($s in (Get-Command $Name).ParameterSets) {
            $params = [ordered]@{}
            foreach ($p in $s.Parameters) { if (-not (Get-HelpParameterExcluded $p.Name)) { $params[$p.Name] = $p } }
            $sets[$s.Name] = $params
        }
        $sets
    }

    # The parameter sets a markdown document gives: set name -> @{ param name -> yaml dictionary }.
    function Get-DocSet($Doc) {
        $names = @($Doc.Syntax | ForEach-Object { $_.SetName })
        $sets = [ordered]@{}
        foreach ($n in $names) { $sets[$n] = [ordered]@{} }
        foreach ($p in $Doc.Parameters.Values) {
            foreach ($y in $p.Yaml) {
                $listed = @(([string]$y['Parameter Sets']).Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
                $targets = if ($listed -contains '(All)') { $names } else { $listed }
                foreach ($t in $targets) {
                    if (-not $sets.Contains($t)) { $sets[$t] = [ordered]@{} }
                    $sets[$t][$p.Name] = $y
                }
            }
        }
        $sets
    }

    function Get-HelpText($Value) { (@($Value | ForEach-Object { $_.Text }) -join "`n").Trim() }
}

Describe 'Help of <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Name = $_
        $script:MdPath = Join-Path $DocsPath "$Name.md"
        $script:Doc = if (Test-Path $MdPath) { Read-HelpMarkdown $MdPath } else { $null }
        $script:Help = Get-Help $Name -Full
        $script:Syntax = (Get-Command $Name -Syntax | Out-String).Trim()
    }

    It 'has a markdown file in the PlatyPS schema' {
        $MdPath | Should -Exist
        $Doc.Name | Should -BeExactly $Name
        $Doc.Header['external help file'] | Should -BeExactly 'NetNs.dll-Help.xml'
        $Doc.Header['Module Name'] | Should -BeExactly 'NetNs'
        $Doc.Header['schema'] | Should -BeExactly '2.0.0'
        $Doc.Header.Contains('online version') | Should -BeTrue
        @($Doc.Sections.Keys) | Should -Be @('SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
    }

    It 'has no placeholder left in the markdown' {
        $text = Get-Content -Raw $MdPath -ErrorAction Stop
        $text | Should -Not -Match $Placeholder
    }

    It 'shows a synopsis written by a person' {
        $s = "$($Help.Synopsis)".Trim()
        $s | Should -Not -BeNullOrEmpty
        $s | Should -Not -Match $Placeholder
        $s | Should -Not -BeLike '*<CommonParameters>*'     # Get-Help's stand-in when there is no help
        $s | Should -Not -Be $Syntax
        $s | Should -Not -Be $Name
        $s.Length | Should -BeGreaterThan 30
    }

    It 'shows a description written by a person' {
        $d = Get-HelpText $Help.description
        $d | Should -Not -BeNullOrEmpty
        $d | Should -Not -Match $Placeholder
        $d | Should -Not -Be "$($Help.Synopsis)".Trim()
        $d.Length | Should -BeGreaterThan 150
        $d | Should -Match '\(\w+\)'   # names errors with their category, e.g. 'NamespaceNotFound (ObjectNotFound)'
    }

    It 'shows at least two examples, each running the cmdlet and explained' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            "$($e.title)" | Should -Not -Match $Placeholder
            "$($e.code)" | Should -Match ([regex]::Escape($Name))
            "$($e.code)" | Should -Not -Match $Placeholder
            $remarks = Get-HelpText $e.remarks
            $remarks | Should -Not -BeNullOrEmpty
            $remarks | Should -Not -Match $Placeholder
        }
    }

    It 'describes every parameter' {
        $code = @((Get-Command $Name).Parameters.Keys | Where-Object { -not (Get-HelpParameterExcluded $_) } | Sort-Object)
        $shown = @($Help.parameters.parameter | ForEach-Object { $_.name } | Sort-Object)
        $shown | Should -Be $code
        foreach ($p in $Help.parameters.parameter) {
            $d = Get-HelpText $p.description
            $d | Should -Not -BeNullOrEmpty -Because "-$($p.name) needs a description"
            $d | Should -Not -Match $Placeholder -Because "-$($p.name) needs a description"
        }
    }

    It 'documents the parameter sets and parameters of the code' {
        $code = Get-CodeSet $Name
        $docSets = Get-DocSet $Doc
        if ($code.Count -eq 1 -and $docSets.Count -eq 1) {
            # One set: PlatyPS writes no set heading, so its name (__AllParameterSets or a named one) is not documented.
            $code = [ordered]@{ Single = @($code.Values)[0] }
            $docSets = [ordered]@{ Single = @($docSets.Values)[0] }
        }
        @($docSets.Keys | Sort-Object) | Should -Be @($code.Keys | Sort-Object)
        foreach ($set in $code.Keys) {
            @($docSets[$set].Keys | Sort-Object) | Should -Be @($code[$set].Keys | Sort-Object) -Because "set $set"
            foreach ($p in $code[$set].Values) {
                $y = $docSets[$set][$p.Name]
                $y['Required'] | Should -Be ([string]$p.IsMandatory) -Because "-$($p.Name) in set $set"
                $y['Position'] | Should -Be $(if ($p.Position -ge 0) { [string]$p.Position } else { 'Named' }) -Because "-$($p.Name) in set $set"
            }
        }
        if ($code.Count -gt 1) {
            $default = (Get-Command $Name).ParameterSets | Where-Object IsDefault | ForEach-Object Name
            @($Doc.Syntax | Where-Object { $_.IsDefault } | ForEach-Object { $_.SetName }) | Should -Be @($default)
        }
        @($Help.syntax.syntaxItem).Count | Should -Be $code.Count
    }

    It 'documents inputs and outputs' {
        foreach ($section in $Doc.Inputs, $Doc.Outputs) {
            $section.Count | Should -BeGreaterThan 0
            foreach ($t in $section.Keys) {
                ($section[$t] -join ' ') | Should -Not -BeNullOrEmpty -Because "type $t needs a description"
            }
        }
        $declared = @((Get-Command $Name).OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' })
        if ($declared.Count -gt 0) { @($Doc.Outputs.Keys | Sort-Object) | Should -Be @($declared | Sort-Object -Unique) }
    }

    It 'has notes naming the privileges and related links' {
        $notes = Get-HelpText $Help.alertSet.alert
        $notes | Should -Match 'root'
        @($Help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 2
    }
}

Describe 'about_NetNs' {
    BeforeAll {
        $script:About = (Get-Help about_NetNs | Out-String)
    }

    It 'is found by Get-Help' {
        $About | Should -Match 'SHORT DESCRIPTION'
        $About | Should -Not -Match 'TODO|\{\{'
    }

    It 'explains <_>' -ForEach @('namespace', 'veth', 'netdev', 'access', 'trunk', 'dnsmasq', 'dhclient', 'checksum', '/run/netns-ps', 'CAP_NET_ADMIN', 'iproute2', 'openvswitch-switch', 'walk-through') {
        $About | Should -Match ([regex]::Escape($_))
    }

    It 'mentions every exported cmdlet' {
        foreach ($c in Get-Command -Module NetNs -CommandType Cmdlet) { $About | Should -Match ([regex]::Escape($c.Name)) }
    }
}

Describe 'docs/help.ps1' {
    It 'changes nothing when run with -Update on an up-to-date tree (markdown round trip)' {
        $copy = Join-Path $TestDrive 'en-US'
        Copy-Item $DocsPath $copy -Recurse
        $null = Invoke-HelpUpdate -DocsPath $copy -ModulePath $NetNsModule 6>&1
        foreach ($f in Get-ChildItem $DocsPath -Filter *.md) {
            [IO.File]::ReadAllText((Join-Path $copy $f.Name)) | Should -BeExactly ([IO.File]::ReadAllText($f.FullName)) -Because "$($f.Name) must be in step with the code: run ./build.ps1 Docs"
        }
        @(Get-ChildItem $copy -Filter *.md).Count | Should -Be @(Get-ChildItem $DocsPath -Filter *.md).Count -Because 'every exported cmdlet needs docs/en-US/<Cmdlet>.md: run ./build.ps1 Docs'
    }

    It 'creates a skeleton with placeholders for an undocumented cmdlet and keeps prose on refresh' {
        $dir = Join-Path $TestDrive 'fresh'
        New-Item -ItemType Directory $dir | Out-Null
        $null = Invoke-HelpUpdate -DocsPath $dir -ModulePath $NetNsModule 6>&1
        $skeleton = Get-Content -Raw (Join-Path $dir 'Get-NetLink.md')
        $skeleton | Should -Match '\{\{ TODO'
        $skeleton | Should -Match '(?m)^### -Namespace$'
        $skeleton | Should -Match '(?m)^Accept wildcard characters: True$'
        # Write prose, break the generated part, refresh: the prose stays, the generated part is right again.
        $written = Get-Content -Raw (Join-Path $DocsPath 'Get-NetLink.md')
        $broken = $written -replace 'Accept wildcard characters: True', 'Accept wildcard characters: False' -replace '(?m)^Get-NetLink \[\[-Name\]', 'Get-NetLink [-Oops]'
        [IO.File]::WriteAllText((Join-Path $dir 'Get-NetLink.md'), $broken)
        $null = Invoke-HelpUpdate -DocsPath $dir -ModulePath $NetNsModule 6>&1
        [IO.File]::ReadAllText((Join-Path $dir 'Get-NetLink.md')) | Should -BeExactly $written
    }

    It 'compiles valid MAML with one command per markdown file' {
        $out = Join-Path $TestDrive 'maml'
        $null = Invoke-HelpCompile -DocsPath $DocsPath -OutPath $out 6>&1
        $xml = [xml](Get-Content -Raw (Join-Path $out 'NetNs.dll-Help.xml'))
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $names = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText | Sort-Object)
        $names | Should -Be @(Get-Command -Module NetNs -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        foreach ($c in $xml.SelectNodes('//command:command', $ns)) {
            foreach ($part in 'command:details', 'maml:description', 'command:syntax', 'command:parameters', 'command:inputTypes', 'command:returnValues', 'maml:alertSet', 'command:examples', 'command:relatedLinks') {
                $c.SelectSingleNode($part, $ns) | Should -Not -BeNullOrEmpty -Because "$($c.details.name) needs $part"
            }
        }
        Join-Path $out 'about_NetNs.help.txt' | Should -Exist
    }

    It 'is what the built module carries' {
        $built = Join-Path (Split-Path $NetNsModule) 'en-US'
        Join-Path $built 'NetNs.dll-Help.xml' | Should -Exist
        Join-Path $built 'about_NetNs.help.txt' | Should -Exist
    }
}
