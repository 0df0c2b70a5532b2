# Interactive use: -WhatIf previews of whole pipelines, tab completion, progress, Ctrl+C (PowerShell.Stop()).
# Runs against a PRIVATE OVS (tests/OvsFixture.ps1); the system OVS is never touched.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1

    # A fresh pwsh on the private OVS; its output lines.
    function Invoke-ChildPwsh([string] $Script) { Invoke-TestOvsPwsh $script:ovs $Script }

    # Completion texts TabExpansion2 offers at the end of $Line.
    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText
    }

    # A PowerShell instance in this process with the module imported and NetNs pointed at the private OVS.
    function New-TestShell([string] $Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$script:NetNsModule'; Set-OvsConnection -Database '$($script:ovs.Database)'; $Script")
        $ps
    }

    $script:ovs = Start-TestOvs
    $script:ns = New-TestName 'ix'
    $script:oddPrefix = 'iq' + [guid]::NewGuid().ToString('N').Substring(0, 6)
    $script:odd = $oddPrefix + ";x'y"   # needs quoting on the command line
    $script:br = New-TestName 'ibr'
    $script:ia = New-TestName 'iia'; $script:ra = New-TestName 'ira'
    $script:ib = New-TestName 'iib'; $script:rb = New-TestName 'irb'
    $script:namespaces = [System.Collections.Generic.List[string]]::new()
    $script:links = [System.Collections.Generic.List[string]]::new()
    $namespaces.AddRange([string[]]@($ns, $odd)); $links.AddRange([string[]]@($ra, $rb))
    New-NetNamespace $ns, $odd | Out-Null
    Add-VethPair -Name $ia -Namespace $ns -PeerName $ra | Out-Null
    Add-VethPair -Name $ib -Namespace $ns -PeerName $rb | Out-Null
    New-OvsBridge $br | Out-Null
    Connect-OvsPort $br $ra, $rb | Out-Null
}

AfterAll {
    Remove-TestNamespace $script:namespaces
    Remove-TestLink $script:links
    if ($script:ovs) { Stop-TestOvs $script:ovs }
}

Describe '-WhatIf previews whole pipelines' {
    It 'prints the exact commands of every stage, passes descriptive objects on, and changes nothing' {
        $n = New-TestName 'iw'; $a = New-TestName 'iwa'; $b = New-TestName 'iwb'
        $db = "--db=$($ovs.Database)"
        $out = Invoke-ChildPwsh @"
New-NetNamespace $n -WhatIf | Add-VethPair -Name $a -PeerName $b -WhatIf | Connect-OvsPort -Bridge $br -WhatIf | Set-OvsVlan -Tag 100 -WhatIf |
    ForEach-Object { 'OBJ ' + (`$_.Bridge, `$_.Name, `$_.VlanMode, `$_.Tag, `$_.Exists -join '|') }
"@
        $text = $out -join "`n"
        $whatIf = @($out | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 4
        $whatIf[0] | Should -Be "What if: Performing the operation `"ip netns add $n`" on target `"$n`"."
        $whatIf[1] | Should -Be "What if: Performing the operation `"ip link add name $a netns $n type veth peer name $b`" on target `"$n/$a <-> $b`"."
        # Connect-OvsPort: the ONE transaction, then tx checksum offload off on both veth ends (netdev bridge).
        $text | Should -BeLike "*What if: Performing the operation `"ovs-vsctl --timeout=10 $db add-port $br $b`nethtool -K $b tx off`nip netns exec $n ethtool -K $a tx off`" on target `"bridge ${br}: $b`".*"
        $whatIf[3] | Should -Be "What if: Performing the operation `"ovs-vsctl --timeout=10 $db set Port $b tag=100 vlan_mode=access -- clear Port $b trunks`" on target `"${b}: access VLAN 100`"."
        $out | Should -Contain "OBJ $br|$b|access|100|False"
        $out | Where-Object { $_ -match 'Exception|Error|not exist' } | Should -BeNullOrEmpty
        Test-Path "/run/netns/$n" | Should -BeFalse
        Test-Path "/sys/class/net/$b" | Should -BeFalse
        (& ovs-vsctl $db --format=csv --no-headings --columns=name list Port) | Should -Not -Contain $b
    }

    It 'previews a script: a bridge and a port made under -WhatIf are used by the later -WhatIf commands' {
        $wb = New-TestName 'iwr'; $a = New-TestName 'iwa'; $b = New-TestName 'iwb'
        $out = Invoke-ChildPwsh "New-OvsBridge $wb -WhatIf | Out-Null; Add-VethPair -Name $a -PeerName $b -WhatIf | Connect-OvsPort -Bridge $wb -WhatIf | Out-Null; Set-OvsVlan $b -Trunk 5,6 -WhatIf | ForEach-Object { 'OBJ ' + (`$_.Bridge, `$_.Name, `$_.VlanMode, (`$_.Trunks -join ',') -join '|') }; Disconnect-OvsPort $b -WhatIf"
        $text = $out -join "`n"
        $text | Should -BeLike "*add-br $wb -- set Bridge $wb datapath_type=*"
        $text | Should -BeLike "*add-port $wb $b*"
        $text | Should -BeLike "*set Port $b trunks=5,6 vlan_mode=trunk -- clear Port $b tag*"
        $text | Should -BeLike "*del-port $wb $b*"
        $out | Should -Contain "OBJ $wb|$b|trunk|5,6"
        $out | Where-Object { $_ -match 'Exception|Error|not exist' } | Should -BeNullOrEmpty
        (& ovs-vsctl "--db=$($ovs.Database)" list-br) | Should -Not -Contain $wb
    }

    It 'still reports a port that is neither in OVS nor previewed' {
        $out = Invoke-ChildPwsh "Set-OvsVlan nosuchport9 -Tag 5 -WhatIf -ErrorVariable e -ErrorAction SilentlyContinue; 'ID ' + `$e[0].FullyQualifiedErrorId"
        $out | Should -Contain 'ID PortNotFound,NetNs.Commands.Ovs.SetOvsVlanCommand'
    }
}

Describe 'Tab completion' {
    It 'completes namespace names, wildcard-aware, quoting names that need it' {
        Get-Completion "Get-NetLink -Namespace $($ns.Substring(0, 4))" | Should -Contain $ns
        Get-Completion "Remove-NetNamespace $($ns.Substring(0, 2))*$($ns.Substring($ns.Length - 3))" | Should -Be @($ns)
        $quoted = "'" + $odd.Replace("'", "''") + "'"
        Get-Completion "Get-NetNamespace $oddPrefix" | Should -Be @($quoted)
        Get-Completion "Get-NetNamespace '$oddPrefix;" | Should -Be @($quoted)
    }

    It 'completes link names inside the namespace given with -Namespace' {
        $inNs = Get-Completion "Set-NetLink -Namespace $ns -Name "
        $inNs | Should -Contain $ia
        $inNs | Should -Contain $ib
        $inNs | Should -Contain 'lo'
        $inNs | Should -Not -Contain $ra
        Get-Completion "Get-NetLink -Namespace $ns $($ia.Substring(0, 4))" | Should -Be @($ia)
        $root = Get-Completion "Set-NetLink -Name $($ra.Substring(0, 4))"
        $root | Should -Contain $ra
        $root | Should -Not -Contain $ia
    }

    It 'completes bridge and port names, ports of the bridge given with -Bridge' {
        Get-Completion "Get-OvsBridge $($br.Substring(0, 4))" | Should -Be @($br)
        Get-Completion "Connect-OvsPort -Bridge $($br.Substring(0, 4))" | Should -Be @($br)
        $ports = Get-Completion "Set-OvsVlan -Bridge $br -Name "
        $ports | Should -Contain $ra
        $ports | Should -Contain $rb
        Get-Completion "Disconnect-OvsPort -Bridge nosuchbridge -Name $($ra.Substring(0, 3))" | Should -BeNullOrEmpty
        Get-Completion "Get-OvsPort i*$($rb.Substring($rb.Length - 4))" | Should -Be @($rb)
    }

    It 'completes for Connect-OvsPort -Name only links that can become ports (not lo, not ports already, not bridges)' {
        $fa = New-TestName 'icf'; $fb = New-TestName 'icf'
        Add-VethPair -Name $fa -PeerName $fb | Out-Null
        try {
            $c = Get-Completion "Connect-OvsPort -Bridge $br -Name "
            $c | Should -Contain $fa
            $c | Should -Contain $fb
            $c | Should -Not -Contain 'lo'
            $c | Should -Not -Contain $ra
            $c | Should -Not -Contain $br
            Get-Completion "Connect-OvsPort $br $($fa.Substring(0, $fa.Length - 1))" | Should -Contain $fa
        } finally { Remove-NetLink -Name $fa -Confirm:$false }
    }

    It 'completes the interfaces of running DHCP servers' {
        Set-NetLink -Namespace $ns -Name $ia -Up
        Add-NetAddress -Namespace $ns -Name $ia 10.202.0.1/24 | Out-Null
        $s = Start-NetDhcpServer -Namespace $ns -Interface $ia -Range 10.202.0.10, 10.202.0.20
        try {
            Get-Completion "Stop-NetDhcpServer -Namespace $ns -Interface " | Should -Be @($ia)
            Get-Completion "Get-NetDhcpServerLog -Namespace $ns -Interface $($ia.Substring(0, 3))" | Should -Be @($ia)
        } finally { $s | Stop-NetDhcpServer -Confirm:$false }
    }
}

Describe 'Progress' {
    It 'shows progress while connecting many links (tx offload off on each veth end)' {
        $prefix = 'ip' + [guid]::NewGuid().ToString('N').Substring(0, 5)
        (1..30 | ForEach-Object { "link add name $prefix$_ type veth peer name $prefix${_}p netns $ns" }) | & ip -batch -
        $links.AddRange([string[]](1..30 | ForEach-Object { "$prefix$_" }))
        $ps = New-TestShell "Get-NetLink -Kind veth | Where-Object Name -like '$prefix*' | Connect-OvsPort $br"
        try {
            $ports = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $ports.Count | Should -Be 30
            $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Connecting links to Open vSwitch')
            ($records | Where-Object RecordType -eq 'Processing').StatusDescription | Should -Contain 'Turning tx checksum offload off on 60 veth ends'
            $records[-1].RecordType | Should -Be 'Completed'
        } finally { $ps.Dispose() }
        Get-OvsPort -Bridge $br | Where-Object Name -like "$prefix*" | Disconnect-OvsPort
        Remove-TestLink (1..30 | ForEach-Object { "$prefix$_" })
    }

    It 'shows progress while removing many bridges, once it takes more than a second' {
        $names = 1..40 | ForEach-Object { New-TestName 'ipb' }
        $tx = foreach ($n in $names) { '--', 'add-br', $n, '--', 'set', 'Bridge', $n, 'datapath_type=netdev' }
        & ovs-vsctl --timeout=20 "--db=$($ovs.Database)" @tx
        $LASTEXITCODE | Should -Be 0
        $ps = New-TestShell ("'" + ($names -join "','") + "' | Remove-OvsBridge -Confirm:`$false")
        try {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Invoke() | Out-Null
            $elapsed = $sw.Elapsed.TotalSeconds
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Removing Open vSwitch bridges')
            Write-Host "    40 bridges removed in $([Math]::Round($elapsed, 2)) s, $($records.Count) progress records"
            if ($elapsed -gt 1.5) {
                $records.Count | Should -BeGreaterThan 1
                $records[0].StatusDescription | Should -Match '^ipb\w+ \(\d+ done\)$'
                $records[-1].RecordType | Should -Be 'Completed'
            }
            if ($elapsed -lt 0.9) { $records | Should -BeNullOrEmpty }
        } finally { $ps.Dispose() }
        (& ovs-vsctl "--db=$($ovs.Database)" list-br) | Where-Object { $_ -in $names } | Should -BeNullOrEmpty
    }

    It 'shows no progress for quick work' {
        $ps = New-TestShell "Get-OvsPort -Bridge $br | Set-OvsVlan -Tag 7 | Out-Null; Get-OvsPort -Bridge $br | Set-OvsVlan -Untagged | Out-Null"
        try {
            $ps.Invoke() | Out-Null
            $ps.Streams.Progress | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }
}

Describe 'Ctrl+C (PowerShell.Stop) stops cleanly' {
    It 'kills the command Invoke-InNamespace runs' {
        $marker = '4{0}.{1}' -f (Get-Random -Minimum 10 -Maximum 99), (Get-Random -Minimum 100 -Maximum 999)
        $ps = New-TestShell "Invoke-InNamespace $ns -- sleep $marker"
        try {
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while (-not (& pgrep -f "^sleep $marker$") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @(& pgrep -f "^sleep $marker$").Count | Should -Be 1
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $deadline = [DateTime]::UtcNow.AddSeconds(5)
            while ((& pgrep -f "^sleep $marker$") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            & pgrep -f "^sleep $marker$" | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }

    It 'leaves no DHCP client or run files when a lease request is stopped' {
        Set-NetLink -Namespace $ns -Name $ib -Up
        $ps = New-TestShell "Request-NetDhcpClientLease -Namespace $ns -Interface $ib -TimeoutSeconds 30"
        try {
            $null = $ps.BeginInvoke()
            $dir = "/run/netns-ps/dhclient/$ns-$ib"
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while (-not (Test-Path "$dir/dhclient.leases") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 500
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Test-Path $dir | Should -BeFalse
            & pgrep -f "dhclient.*$ns-$ib" | Should -BeNullOrEmpty
        } finally { $ps.Dispose() }
    }

    It 'takes the ports out again when Connect-OvsPort is stopped while ovs-vsctl waits for the switch' {
        # A database without ovs-vswitchd: add-port commits, then waits for a switch that never answers.
        $dir = Join-Path ([IO.Path]::GetTempPath()) ('netns-testdb-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $dir | Out-Null
        $db = "unix:$dir/db.sock"
        & ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
        & ovsdb-server "$dir/conf.db" "--remote=punix:$dir/db.sock" "--pidfile=$dir/s.pid" "--unixctl=$dir/s.ctl" -vconsole:off --detach --no-chdir 2>$null
        try {
            & ovs-vsctl --timeout=5 "--db=$db" --no-wait init
            $wbr = New-TestName 'iwr'
            & ovs-vsctl --timeout=5 "--db=$db" --no-wait add-br $wbr
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$script:NetNsModule'; Set-OvsConnection -Database '$db' -TimeoutSeconds 4; Connect-OvsPort $wbr $rb -KeepTxChecksumOffload")
            try {
                $null = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(15)
                while (-not ((& ovs-vsctl --timeout=5 "--db=$db" list-ports $wbr) -contains $rb) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                (& ovs-vsctl --timeout=5 "--db=$db" list-ports $wbr) | Should -Contain $rb    # committed, waiting for the switch
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                & ovs-vsctl --timeout=5 "--db=$db" list-ports $wbr | Should -BeNullOrEmpty
            } finally { $ps.Dispose() }
        } finally {
            & ovs-appctl -t "$dir/s.ctl" exit 2>$null
            Start-Sleep -Milliseconds 200
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
            Set-OvsConnection -Database $ovs.Database -TimeoutSeconds 10
        }
    }
}
