# Bad input: seeded random mutations of the example lab definitions (examples/*.lab.psd1, renamed to this run's unique
# names): wrong types, missing keys, unknown keys, huge lists, names at and over the limits, control characters, out-of-range
# numbers, malformed addresses, duplicate objects. Each one is either refused by New-NetLab -WhatIf with a NetNs
# InvalidArgument-class error (InvalidArgument, or ObjectNotFound for a reference to something the definition lacks) that
# names its place in the definition, or accepted; a sample of the accepted ones is built for real and removed. Never an
# unhandled exception, never a leftover. The seed is printed; NETNS_FUZZ_SEED replays a run (default: a fixed seed; NETNS_FUZZ_SEED=random draws one).
BeforeDiscovery {
    $script:FuzzCount = if ($env:NETNS_FUZZ_COUNT) { [int]$env:NETNS_FUZZ_COUNT } else { 500 }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'fuzovs'
    $script:O = @{ OvsSocket = $ovs.Socket; SwitchNamespace = $ovs.Namespace }
    $script:p = New-TestName 'fz'
    $script:tmp = Join-Path ([IO.Path]::GetTempPath()) "netns-fuzz-$p"
    New-Item -ItemType Directory -Path $tmp | Out-Null

    # The examples with every name made unique to this run.
    function Get-Example([string] $File, [hashtable] $Rename) {
        $text = Get-Content -Raw (Join-Path $PSScriptRoot "../examples/$File")
        foreach ($k in $Rename.Keys | Sort-Object Length -Descending) { $text = $text -replace "'$([regex]::Escape($k))", "'$($Rename[$k])" }
        $f = Join-Path $tmp $File
        Set-Content $f $text
        Import-PowerShellDataFile $f
    }
    $script:examples = @(
        Get-Example 'star.lab.psd1' @{ 'star' = "${p}s"; 'vstar' = "v${p}s" }
        Get-Example 'walkthrough.lab.psd1' @{ 'walkthrough' = "${p}w"; 'ns1' = "${p}w1"; 'ns2' = "${p}w2"; 'br0' = "${p}wb"; 'veth-ns' = "v${p}w"; '10.0.0.' = '10.66.0.' }
    )

    function Copy-Tree($o) {
        if ($o -is [System.Collections.IDictionary]) { $h = [ordered]@{}; foreach ($k in $o.Keys) { $h[$k] = Copy-Tree $o[$k] }; return $h }
        if ($o -is [System.Collections.IList]) { return , @(foreach ($x in $o) { Copy-Tree $x }) }
        $o
    }
    # Every place in a tree: @{ Parent; Key (a key or an index); Path; Value }.
    function Get-Place($o, [string] $Path = '') {
        if ($o -is [System.Collections.IDictionary]) {
            foreach ($k in @($o.Keys)) {
                $cp = if ($Path) { "$Path.$k" } else { "$k" }
                [pscustomobject]@{ Parent = $o; Key = $k; Path = $cp; Value = $o[$k] }
                Get-Place $o[$k] $cp
            }
        } elseif ($o -is [System.Collections.IList]) {
            for ($i = 0; $i -lt $o.Count; $i++) {
                [pscustomobject]@{ Parent = $o; Key = $i; Path = "$Path[$i]"; Value = $o[$i] }
                Get-Place $o[$i] "$Path[$i]"
            }
        }
    }

    # A fixed seed by default, so that CI runs the same 500 mutations every time; NETNS_FUZZ_SEED=random draws a new one.
    $script:seed = if ($env:NETNS_FUZZ_SEED -eq 'random') { [Environment]::TickCount -band 0x7fffffff } elseif ($env:NETNS_FUZZ_SEED) { [int]$env:NETNS_FUZZ_SEED } else { 5462434 }
    $script:rng = [Random]::new($seed)
    function Pick($list) { $l = @($list); $l[$rng.Next(0, $l.Count)] }
    function Get-RandomName([int] $Length) { -join (1..$Length | ForEach-Object { Pick ([char[]]'abcdefghijklmnopqrstuvwxyz0123456789-_.') }) }
    $script:wrongValues = @(42, -1, 3.5, $true, $false, $null, '', ' ', @(), @(1, 2), @{ x = 1 }, [datetime]'2020-01-01', [guid]::Empty, 2147483648, [long]::MaxValue, 1e300)
    $script:controls = @("`u{0}", "`u{1}", "`n", "`r", "`t", "`u{7f}", "`u{1b}[31m", "`u{202e}", "`u{200b}", "`u{feff}")

    # One mutation of a copy of an example: returns @{ Kind; Place; Definition }.
    function New-Mutation {
        $d = Copy-Tree (Pick $examples)
        $places = @(Get-Place $d)
        $leaves = @($places | Where-Object { $_.Value -isnot [System.Collections.IDictionary] -and $_.Value -isnot [System.Collections.IList] })
        $lists = @($places | Where-Object { $_.Value -is [System.Collections.IList] -and $_.Value.Count -gt 0 })
        $tables = @($d) + @($places | Where-Object { $_.Value -is [System.Collections.IDictionary] } | ForEach-Object Value)
        $kind = Pick 'wrong-type', 'wrong-type', 'missing-key', 'unknown-key', 'huge-list', 'name-limit', 'name-limit', 'control-char', 'control-char', 'number-range', 'address', 'duplicate', 'duplicate', 'swap-list-table'
        $place = ''
        switch ($kind) {
            'wrong-type' { $x = Pick $leaves; $x.Parent[$x.Key] = Pick $wrongValues; $place = $x.Path }
            'missing-key' { $t = Pick $tables; $k = Pick @($t.Keys); $t.Remove($k); $place = $k }
            'unknown-key' { $t = Pick $tables; $t[(Pick 'Colour', 'name ', 'Links2', "K`u{1}", '')] = 'x'; $place = 'unknown' }
            'huge-list' {
                $which = Pick 'Namespaces', 'Links', 'Bridges'
                $n = Pick 1000, 5000
                $d[$which] = @(if ($which -eq 'Namespaces') { 1..$n | ForEach-Object { "${p}z$_" } } elseif ($which -eq 'Bridges') { 1..$n | ForEach-Object { "${p}y$_" } }
                    else { 1..$n | ForEach-Object { @{ Namespace = @($d.Namespaces)[0]; Name = "e$_"; Bridge = @($d.Bridges)[0].Name; PeerName = "v${p}$_" } } })
                $place = $which
            }
            'name-limit' {
                $x = Pick @($leaves | Where-Object { $_.Value -is [string] -and $_.Path -match 'Name$|Namespace$|Namespaces\[\d+\]$|PeerName$|Bridge$|Interface$|^Name$' })
                $len = Pick 15, 16, 63, 64, 65, 255, 256, 1000
                $x.Parent[$x.Key] = Pick (Get-RandomName $len), ('é' * [Math]::Ceiling($len / 2)), ('-' + (Get-RandomName ($len - 1))), ('.' + (Get-RandomName 3)), ('a/b'), ('a b'), ('a:b'), '..', '.'
                $place = $x.Path
            }
            'control-char' {
                $x = Pick @($leaves | Where-Object { $_.Value -is [string] })
                $c = Pick $controls
                $s = [string]$x.Value; $at = $rng.Next(0, $s.Length + 1)
                $x.Parent[$x.Key] = $s.Insert($at, $c); $place = $x.Path
            }
            'number-range' {
                $l = Pick @($d.Links)
                $k = Pick 'Tag', 'Mtu', 'Trunk'
                $l[$k] = switch ($k) { 'Tag' { Pick 0, -1, 4095, 4096, 65536, 1, 4094 } 'Mtu' { Pick 0, 67, 68, 65535, 65536, -5 } 'Trunk' { , @(Pick @(0, 5), @(5, 5), @(4095), @(1, 4094), @(-1)) } }
                if ($k -eq 'Trunk') { $l.Remove('Tag') }
                $place = 'Links'
            }
            'address' {
                $l = Pick @($d.Links)
                $l.Address = Pick '10.0.0.300/24', '10.0.0.1/33', '10.0.0.1', '::1/129', 'fe80::1/64', '1.2.3.4/-1', 'x/24', '10.0.0.1/24/1', '0.0.0.0/0', '255.255.255.255/32', '224.0.0.1/24', "10.0.0.1/24`n", @('10.9.0.1/24', '10.9.0.1/24')
                $place = 'Links'
            }
            'duplicate' {
                $x = Pick $lists; $v = $x.Value; $i = $rng.Next(0, $v.Count)
                $x.Parent[$x.Key] = @($v) + @(Copy-Tree $v[$i]); $place = $x.Path
            }
            'swap-list-table' {
                $x = Pick @($places | Where-Object { $_.Value -is [System.Collections.IList] -or $_.Value -is [System.Collections.IDictionary] })
                $x.Parent[$x.Key] = if ($x.Value -is [System.Collections.IList]) { @{ Name = 'x' } } else { , @('x', 'y') }
                $place = $x.Path
            }
        }
        [pscustomobject]@{ Kind = $kind; Place = $place; Definition = $d }
    }

    # New-NetLab -WhatIf in a runspace without a host: the plans of accepted definitions (thousands of lines for a huge one)
    # are not printed; the output and the error records come back as they would in a session.
    $script:rs = [runspacefactory]::CreateRunspace()
    $rs.Open()
    $script:ps = [powershell]::Create()
    $ps.Runspace = $rs
    $null = $ps.AddScript("Import-Module '$script:NetNsModule'").Invoke()
    function Test-Definition($Definition) {
        $ps.Commands.Clear(); $ps.Streams.ClearStreams()
        $null = $ps.AddCommand('New-NetLab').AddParameter('Definition', $Definition).AddParameter('OvsSocket', $ovs.Socket).AddParameter('SwitchNamespace', $ovs.Namespace).AddParameter('WhatIf').AddParameter('ErrorAction', 'Continue')
        $out = $null; $errors = @()
        try { $out = $ps.Invoke() } catch {
            $inner = $_.Exception.InnerException
            $errors = @(if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $inner.ErrorRecord } else { [System.Management.Automation.ErrorRecord]::new($_.Exception, 'Unhandled', 'NotSpecified', $null) })
        }
        [pscustomobject]@{ Output = @($out); Errors = @($ps.Streams.Error) + $errors }
    }

    function Get-Leftover([string] $Prefix) {
        $out = [System.Collections.Generic.List[string]]::new()
        foreach ($n in & ip netns list) { $n = ($n -split ' ')[0]; if ($n -like "$Prefix*") { $out.Add("namespace $n") } }
        foreach ($l in (& ip -j link show | ConvertFrom-Json)) { if ($l.ifname -like "*$Prefix*") { $out.Add("root link $($l.ifname)") } }
        foreach ($l in (& ip -n $ovs.Namespace -j link show | ConvertFrom-Json)) { if ($l.ifname -like "*$Prefix*") { $out.Add("switch link $($l.ifname)") } }
        foreach ($b in & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=10 list-br) { $out.Add("bridge $b") }
        foreach ($f in Get-ChildItem /run/netns-ps/labs -Name -ErrorAction SilentlyContinue) { if ($f -like "$Prefix*") { $out.Add("record $f") } }
        foreach ($f in Get-ChildItem /run/netns-ps/dhcp -Name -ErrorAction SilentlyContinue) { if ($f -like "*$Prefix*") { $out.Add("dhcp $f") } }
        , $out.ToArray()
    }
}

AfterAll {
    if ($script:ps) { $ps.Dispose(); $rs.Dispose() }
    foreach ($l in @(Get-NetLab -ErrorAction SilentlyContinue | Where-Object Name -like "$p*")) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    foreach ($n in & ip netns list) { $n = ($n -split ' ')[0]; if ($n -like "$p*") { & ip netns del $n 2>$null } }
    Stop-TestOvs $ovs
    Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
}

Describe 'Lab definition fuzzing' {
    It 'the unmutated examples are accepted and build' {
        foreach ($d in $examples) {
            $lab = New-NetLab -Definition $d @O
            $lab.Status | Should -Be 'Active'
            Remove-NetLab -Name $lab.Name -Confirm:$false
        }
        Get-Leftover $p | Should -BeNullOrEmpty
    }

    It '<FuzzCount> seeded random mutations: each refused with an InvalidArgument-class error naming its place, or accepted (a sample built and removed); no unhandled exception, no leftover' {
        Write-Host "    fuzz seed $seed (replay: NETNS_FUZZ_SEED=$seed)"
        $refused = @{}; $accepted = [System.Collections.Generic.List[object]]::new(); $bad = [System.Collections.Generic.List[string]]::new()
        $sw = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 1; $i -le $FuzzCount; $i++) {
            $m = New-Mutation
            $t = Test-Definition $m.Definition
            $e = @($t.Errors); $out = @($t.Output)
            $what = "#$i $($m.Kind) at $($m.Place)"
            if ($e.Count -eq 0) {
                if ($out.Count -eq 0) { $bad.Add("$what -> neither an error nor a plan") } else { $accepted.Add($m) }
                continue
            }
            $x = $e[0]
            $id = "$($x.FullyQualifiedErrorId)".Split(',')[0]
            $cat = "$($x.CategoryInfo.Category)"
            if ($x.Exception -isnot [NetNs.Core.Errors.NetNsException]) { $bad.Add("$what -> unhandled $($x.Exception.GetType().FullName): $($x.Exception.Message)"); continue }
            if ($cat -notin 'InvalidArgument', 'ObjectNotFound') { $bad.Add("$what -> $id ($cat): $x"); continue }
            if ("$x" -notmatch '(^|\W)-?(Name|Namespaces|Bridges|Links|Dhcp|\(definition\))(\[\d+\])?(\W|$)|unknown key') { $bad.Add("$what -> $id names no place: $x"); continue }
            if ($out.Count -gt 0) { $bad.Add("$what -> $id but also wrote a plan") }
            $refused[$id] = 1 + [int]$refused[$id]
        }
        $validated = $sw.Elapsed
        # Build a sample of the accepted ones for real (not the huge ones), and remove them.
        # (A huge list of links on few namespaces is huge too: its teardown alone is ovs-vswitchd removing every port.)
        $sample = @($accepted | Where-Object { @($_.Definition.Namespaces).Count -le 20 -and @($_.Definition.Links).Count -le 40 } | Select-Object -First 6)
        foreach ($m in $sample) {
            $lab = New-NetLab -Definition $m.Definition @O -ErrorVariable e -ErrorAction SilentlyContinue
            if (-not $lab) { $bad.Add("accepted $($m.Kind) at $($m.Place) by -WhatIf, then the build failed: $($e[0])"); continue }
            Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
            if ($e) { $bad.Add("built $($m.Kind) at $($m.Place), removal failed: $($e[0])") }
        }
        Write-Host "    $FuzzCount mutations validated in $([int]$validated.TotalSeconds) s: $($accepted.Count) accepted ($($sample.Count) built and removed), refused: $(($refused.GetEnumerator() | Sort-Object Value -Descending | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ')"
        $bad | Should -BeNullOrEmpty
        Get-Leftover $p | Should -BeNullOrEmpty
    }
}
