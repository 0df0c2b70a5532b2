# Hardening: bad input refused before anything runs (every exported cmdlet), error ids of the OVS and DHCP cmdlets,
# parallel use, and synchronous removal. Runs against a PRIVATE OVS (tests/OvsFixture.ps1); the system OVS is never touched.

BeforeDiscovery {
    # Bad values per kind of parameter, with the ErrorId the cmdlets must write (category InvalidArgument).
    $long = @{ ns = 'n' * 256; if = 'i' * 16 }
    $kinds = @{
        ns      = @{ Id = 'InvalidNamespaceName'; Values = [ordered]@{ control = "n`u{1}x"; newline = "n`nx"; dash = '-nx'; long = $long.ns } }
        nspat   = @{ Id = 'InvalidNamespaceName'; Values = [ordered]@{ control = "n`u{1}*"; newline = "n`n*"; dash = '-n*'; long = $long.ns } }
        if      = @{ Id = 'InvalidInterfaceName'; Values = [ordered]@{ control = "i`u{1}x"; newline = "i`nx"; dash = '-ix'; long = $long.if } }
        ifpat   = @{ Id = 'InvalidInterfaceName'; Values = [ordered]@{ control = "i`u{1}*"; newline = "i`n*"; dash = '-i*'; long = $long.if } }
        cidr    = @{ Id = 'InvalidAddress'; Values = [ordered]@{ control = "10.201.9.1`u{1}/24"; newline = "10.201.9.1/24`n"; dash = '-10.201.9.1/24'; long = '1' * 300 } }
        ip      = @{ Id = 'InvalidAddress'; Values = [ordered]@{ control = "10.201.0.53`u{1}"; newline = "10.201.0.53`n"; dash = '-10.201.0.53'; long = '1' * 300 } }
        mac     = @{ Id = 'InvalidMacAddress'; Values = [ordered]@{ control = "02:00:00:00:00:0`u{1}"; newline = "02:00:00:00:00:09`n"; dash = '-02:00:00:00:00:09'; long = '0' * 300 } }
        domain  = @{ Id = 'InvalidSearchDomain'; Values = [ordered]@{ control = "ex`u{1}.com"; newline = "ex.com`nnameserver 10.9.9.9"; dash = '-ex.com'; long = 'a' * 300 } }
        target  = @{ Id = 'InvalidTarget'; Values = [ordered]@{ control = "127.0.0.1`u{1}"; newline = "127.0.0.1`n"; dash = '-c'; long = 'a' * 300 } }
        cmd     = @{ Id = 'InvalidCommand'; Values = [ordered]@{ control = "tr`u{1}ue"; newline = "true`nfalse"; dash = '-true'; long = '/' + 'a' * 5000 } }
        db      = @{ Id = 'InvalidOvsDatabase'; Values = [ordered]@{ control = "unix:/tmp/a`u{1}.sock"; newline = '<db>' + "`n"; dash = '-unix:/tmp/x.sock'; long = 'unix:/tmp/' + 'a' * 200 } }
        mtu     = @{ Id = 'InvalidMtu'; Values = [ordered]@{ '0' = 0; '67' = 67; '65536' = 65536; '-1' = -1 } }
        tag     = @{ Id = 'InvalidVlanTag'; Values = [ordered]@{ '0' = 0; '4095' = 4095; '4096' = 4096; '-1' = -1 } }
        native  = @{ Id = 'InvalidVlanTag'; Values = [ordered]@{ '4095' = 4095; '-1' = -1 } }
        timeout = @{ Id = 'InvalidOvsTimeout'; Values = [ordered]@{ '0' = 0; '3601' = 3601 } }
        skey    = @{ Id = 'InvalidMacAddress'; Values = [ordered]@{ control = "02:00:00:00:00:0`u{1}"; newline = "02:00:00:00:00:09`n"; dash = '-02:00:00:00:00:09'; long = '0' * 300 } }
        svalue  = @{ Id = 'InvalidAddress'; Values = [ordered]@{ control = "10.201.0.50`u{1}"; newline = "10.201.0.50`n"; dash = '-10.201.0.50'; long = '1' * 300 } }
        lab     = @{ Id = 'InvalidLabName'; Values = [ordered]@{ control = "l`u{1}x"; newline = "l`nx"; dash = '-lx'; long = 'l' * 300 } }
        labpat  = @{ Id = 'InvalidLabName'; Values = [ordered]@{ control = "l`u{1}*"; newline = "l`n*"; dash = '-l*'; long = 'l' * 300 } }
        range   = @{ Id = 'InvalidAddress'; Values = [ordered]@{ control = "10.201.0.100`u{1}"; newline = "10.201.0.100`n"; dash = '-10.201.0.100'; long = '1' * 300 } }
        # Kinds of the parameters added since this table was first written.
        sock    = @{ Id = 'InvalidOvsSocket'; Values = [ordered]@{ control = "/tmp/a`u{1}.sock"; newline = "/tmp/a.sock`n"; long = '/tmp/' + 'a' * 200 } }
        lease   = @{ Id = 'InvalidLeaseTime'; Values = [ordered]@{ '1s' = [timespan]'00:00:01'; '119s' = [timespan]'00:01:59'; '366d' = [timespan]::FromDays(366) } }
        dhcpto  = @{ Id = 'InvalidTimeout'; Values = [ordered]@{ '0' = 0; '-5' = -5; '3601' = 3601 } }
        plen    = @{ Id = 'InvalidAddress'; Values = [ordered]@{ '33' = 33; '-1' = -1; '200' = 200 } }
        trunk   = @{ Id = 'InvalidTrunk'; Values = [ordered]@{ zero = @(0, 10); reserved = @(10, 4095); negative = @(-1) } }
        prefix  = @{ Id = 'InvalidNamespaceName'; Values = [ordered]@{ control = "h`u{1}"; newline = "h`n"; dash = '-h'; slash = 'a/b' } }
        # Routes (Add-/Get-/Remove-NetNsRoute).
        dest    = @{ Id = 'InvalidRouteDestination'; Values = [ordered]@{ control = "10.201.50.0`u{1}/24"; newline = "10.201.50.0/24`n"; dash = '-10.201.50.0/24'; long = '1' * 300 } }
        gw      = @{ Id = 'InvalidGateway'; Values = [ordered]@{ control = "10.201.0.2`u{1}"; newline = "10.201.0.2`n"; dash = '-10.201.0.2'; long = '1' * 300 } }
    }
    # Placeholders, filled in at run time: <fx> fixture namespace, <ra> root end (a port of <br>), <ib> inner end (10.201.0.1/24,
    # in <fx>), <rc> a root end that is no port, <br> the bridge, <new>/<new2> fresh link names, <newns> a fresh namespace name.
    $range = @('10.201.0.100', '10.201.0.150')
    $table = @(
        @{ Cmd = 'New-NetLab'; Param = 'Name'; Kind = 'lab'; Base = @{ Definition = @{ Name = 'x'; Namespaces = @() } } }
        @{ Cmd = 'New-NetLab'; Param = 'SwitchNamespace'; Kind = 'ns'; Base = @{ Definition = @{ Name = 'hardlabx'; Namespaces = @() } } }
        @{ Cmd = 'Get-NetLab'; Param = 'Name'; Kind = 'labpat'; Base = @{} }
        @{ Cmd = 'Get-NetLabState'; Param = 'Name'; Kind = 'labpat'; Base = @{} }
        @{ Cmd = 'Export-NetLab'; Param = 'Name'; Kind = 'lab'; Base = @{} }
        @{ Cmd = 'Compare-NetLab'; Param = 'Name'; Kind = 'lab'; Base = @{ Definition = @{ Name = 'x'; Namespaces = @() } } }
        @{ Cmd = 'Remove-NetLab'; Param = 'Name'; Kind = 'labpat'; Base = @{} }
        @{ Cmd = 'Clear-NetLab'; Param = 'Name'; Kind = 'labpat'; Base = @{} }
        @{ Cmd = 'Clear-NetLab'; Param = 'SwitchNamespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Test-NetLabConnectivity'; Param = 'Name'; Kind = 'lab'; Base = @{} }
        @{ Cmd = 'Export-NetLabDiagram'; Param = 'Name'; Kind = 'lab'; Base = @{ Format = 'Dot' } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'Name'; Kind = 'lab'; Base = @{ Star = $true; HostCount = 2 } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'Bridge'; Kind = 'if'; Base = @{ Star = $true; HostCount = 2; Name = 'x' } }
        @{ Cmd = 'Add-NetNsRoute'; Param = 'Destination'; Kind = 'dest'; Base = @{ Namespace = '<fx>'; Interface = '<ib>' } }
        @{ Cmd = 'Add-NetNsRoute'; Param = 'Gateway'; Kind = 'gw'; Base = @{ Namespace = '<fx>'; Destination = '10.201.50.0/24' } }
        @{ Cmd = 'Add-NetNsRoute'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>'; Destination = '10.201.50.0/24' } }
        @{ Cmd = 'Add-NetNsRoute'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Destination = '10.201.50.0/24'; Interface = '<ib>' } }
        @{ Cmd = 'Remove-NetNsRoute'; Param = 'Destination'; Kind = 'dest'; Base = @{ Namespace = '<fx>'; Interface = '<ib>' } }
        @{ Cmd = 'Remove-NetNsRoute'; Param = 'Gateway'; Kind = 'gw'; Base = @{ Namespace = '<fx>'; Destination = '10.201.50.0/24' } }
        @{ Cmd = 'Remove-NetNsRoute'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>'; Destination = '10.201.50.0/24' } }
        @{ Cmd = 'Remove-NetNsRoute'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Destination = '10.201.50.0/24'; Interface = '<ib>' } }
        @{ Cmd = 'Get-NetNsRoute'; Param = 'Destination'; Kind = 'dest'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetNsRoute'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetNsRoute'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Set-NetNamespace'; Param = 'Name'; Kind = 'ns'; Base = @{ Forwarding = 'Enabled' } }
        @{ Cmd = 'Enable-NetNamespaceNat'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Enable-NetNamespaceNat'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Enable-NetNamespaceNat'; Param = 'Subnet'; Kind = 'cidr'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Disable-NetNamespaceNat'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'New-NetNamespace'; Param = 'Name'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Get-NetNamespace'; Param = 'Name'; Kind = 'nspat'; Base = @{} }
        @{ Cmd = 'Remove-NetNamespace'; Param = 'Name'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Remove-NetNamespace'; Param = 'Name'; Kind = 'nspat'; Base = @{} }
        @{ Cmd = 'Enter-NetNamespace'; Param = 'Name'; Kind = 'ns'; Base = @{ Shell = '/bin/true' } }
        @{ Cmd = 'Enter-NetNamespace'; Param = 'Shell'; Kind = 'cmd'; Base = @{ Name = '<fx>' } }
        @{ Cmd = 'Invoke-InNamespace'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Command = 'true' } }
        @{ Cmd = 'Invoke-InNamespace'; Param = 'Command'; Kind = 'cmd'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetLink'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Get-NetLink'; Param = 'Name'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Get-NetLink'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Add-VethPair'; Param = 'Name'; Kind = 'if'; Base = @{ PeerName = '<new>' } }
        @{ Cmd = 'Add-VethPair'; Param = 'PeerName'; Kind = 'if'; Base = @{ Name = '<new>' } }
        @{ Cmd = 'Add-VethPair'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = '<new>'; PeerName = '<new2>' } }
        @{ Cmd = 'Add-VethPair'; Param = 'PeerNamespace'; Kind = 'ns'; Base = @{ Name = '<new>'; PeerName = '<new2>' } }
        @{ Cmd = 'Add-VethPair'; Param = 'Mtu'; Kind = 'mtu'; Base = @{ Name = '<new>'; PeerName = '<new2>' } }
        @{ Cmd = 'Move-NetLink'; Param = 'Name'; Kind = 'if'; Base = @{ Destination = '<fx>' } }
        @{ Cmd = 'Move-NetLink'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = '<rc>'; Destination = '<fx>' } }
        @{ Cmd = 'Move-NetLink'; Param = 'Destination'; Kind = 'ns'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Set-NetLink'; Param = 'Name'; Kind = 'if'; Base = @{ Up = $true } }
        @{ Cmd = 'Set-NetLink'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = 'lo'; Up = $true } }
        @{ Cmd = 'Set-NetLink'; Param = 'MacAddress'; Kind = 'mac'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Set-NetLink'; Param = 'NewName'; Kind = 'if'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Set-NetLink'; Param = 'Mtu'; Kind = 'mtu'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Remove-NetLink'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Remove-NetLink'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Add-NetAddress'; Param = 'Name'; Kind = 'if'; Base = @{ Address = '10.201.9.1/24' } }
        @{ Cmd = 'Add-NetAddress'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = '<ib>'; Address = '10.201.9.1/24' } }
        @{ Cmd = 'Add-NetAddress'; Param = 'Address'; Kind = 'cidr'; Base = @{ Name = '<ib>'; Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetAddress'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Get-NetAddress'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Remove-NetAddress'; Param = 'Name'; Kind = 'if'; Base = @{ Address = '10.201.0.1/24' } }
        @{ Cmd = 'Remove-NetAddress'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Name = '<ib>'; Address = '10.201.0.1/24' } }
        @{ Cmd = 'Remove-NetAddress'; Param = 'Address'; Kind = 'cidr'; Base = @{ Name = '<ib>'; Namespace = '<fx>' } }
        @{ Cmd = 'Remove-NetAddress'; Param = 'Address'; Kind = 'ip'; Base = @{ Name = '<ib>'; Namespace = '<fx>' } }
        @{ Cmd = 'Test-NetNamespaceConnection'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Target = '127.0.0.1'; Count = 1 } }
        @{ Cmd = 'Test-NetNamespaceConnection'; Param = 'Target'; Kind = 'target'; Base = @{ Namespace = '<fx>'; Count = 1 } }
        @{ Cmd = 'Set-NetNamespaceDns'; Param = 'Namespace'; Kind = 'ns'; Base = @{ ServerAddress = '10.201.0.53' } }
        @{ Cmd = 'Set-NetNamespaceDns'; Param = 'ServerAddress'; Kind = 'ip'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Set-NetNamespaceDns'; Param = 'Search'; Kind = 'domain'; Base = @{ Namespace = '<fx>'; ServerAddress = '10.201.0.53' } }
        @{ Cmd = 'Get-NetNamespaceDns'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>'; Range = $range } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'Range'; Kind = 'range'; Base = @{ Namespace = '<fx>'; Interface = '<ib>' } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'RangeStart'; Kind = 'ip'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; RangeEnd = '10.201.0.150' } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'RangeEnd'; Kind = 'ip'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; RangeStart = '10.201.0.100' } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'Router'; Kind = 'ip'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'DnsServer'; Kind = 'ip'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'StaticLease'; Kind = 'skey'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'StaticLease'; Kind = 'svalue'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Get-NetDhcpServer'; Param = 'Namespace'; Kind = 'nspat'; Base = @{} }
        @{ Cmd = 'Get-NetDhcpServer'; Param = 'Interface'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Stop-NetDhcpServer'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Interface = '<ib>' } }
        @{ Cmd = 'Stop-NetDhcpServer'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetDhcpLease'; Param = 'Namespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'Get-NetDhcpLease'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Get-NetDhcpLease'; Param = 'MacAddress'; Kind = 'mac'; Base = @{} }
        @{ Cmd = 'Get-NetDhcpServerLog'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Interface = '<ib>' } }
        @{ Cmd = 'Get-NetDhcpServerLog'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'Request-NetDhcpClientLease'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Interface = '<ib>'; TimeoutSeconds = 1 } }
        @{ Cmd = 'Request-NetDhcpClientLease'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>'; TimeoutSeconds = 1 } }
        @{ Cmd = 'Get-NetDhcpClientLease'; Param = 'Namespace'; Kind = 'nspat'; Base = @{} }
        @{ Cmd = 'Get-NetDhcpClientLease'; Param = 'Interface'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Remove-NetDhcpClientLease'; Param = 'Namespace'; Kind = 'ns'; Base = @{ Interface = '<ib>' } }
        @{ Cmd = 'Remove-NetDhcpClientLease'; Param = 'Interface'; Kind = 'if'; Base = @{ Namespace = '<fx>' } }
        @{ Cmd = 'New-OvsBridge'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Get-OvsBridge'; Param = 'Name'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Remove-OvsBridge'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Connect-OvsPort'; Param = 'Bridge'; Kind = 'if'; Base = @{ Name = '<rc>' } }
        @{ Cmd = 'Connect-OvsPort'; Param = 'Name'; Kind = 'if'; Base = @{ Bridge = '<br>' } }
        @{ Cmd = 'Connect-OvsPort'; Param = 'Tag'; Kind = 'tag'; Base = @{ Bridge = '<br>'; Name = '<rc>' } }
        @{ Cmd = 'Connect-OvsPort'; Param = 'NativeVlan'; Kind = 'native'; Base = @{ Bridge = '<br>'; Name = '<rc>'; Trunk = @(10, 20) } }
        @{ Cmd = 'Disconnect-OvsPort'; Param = 'Name'; Kind = 'if'; Base = @{} }
        @{ Cmd = 'Disconnect-OvsPort'; Param = 'Bridge'; Kind = 'if'; Base = @{ Name = '<ra>' } }
        @{ Cmd = 'Get-OvsPort'; Param = 'Name'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Get-OvsPort'; Param = 'Bridge'; Kind = 'ifpat'; Base = @{} }
        @{ Cmd = 'Set-OvsVlan'; Param = 'Name'; Kind = 'if'; Base = @{ Tag = 5 } }
        @{ Cmd = 'Set-OvsVlan'; Param = 'Bridge'; Kind = 'if'; Base = @{ Name = '<ra>'; Tag = 5 } }
        @{ Cmd = 'Set-OvsVlan'; Param = 'Tag'; Kind = 'tag'; Base = @{ Name = '<ra>' } }
        @{ Cmd = 'Set-OvsVlan'; Param = 'NativeVlan'; Kind = 'native'; Base = @{ Name = '<ra>'; Trunk = @(10, 20) } }
        @{ Cmd = 'Set-OvsConnection'; Param = 'Database'; Kind = 'db'; Base = @{} }
        @{ Cmd = 'Set-OvsConnection'; Param = 'TimeoutSeconds'; Kind = 'timeout'; Base = @{} }
        # Parameters added since the table was first written (compared with the module's commands, issue 15).
        @{ Cmd = 'Set-OvsConnection'; Param = 'SwitchNamespace'; Kind = 'ns'; Base = @{} }
        @{ Cmd = 'New-NetLab'; Param = 'OvsSocket'; Kind = 'sock'; Base = @{ Definition = @{ Name = 'hardlabx'; Namespaces = @() } } }
        @{ Cmd = 'Clear-NetLab'; Param = 'OvsSocket'; Kind = 'sock'; Base = @{ Name = 'hardlabx' } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'Prefix'; Kind = 'prefix'; Base = @{ Star = $true; HostCount = 2; Name = 'x' } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'Subnet'; Kind = 'cidr'; Base = @{ Star = $true; HostCount = 2; Name = 'x' } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'Mtu'; Kind = 'mtu'; Base = @{ Star = $true; HostCount = 2; Name = 'x' } }
        @{ Cmd = 'New-NetLabDefinition'; Param = 'VlanTag'; Kind = 'tag'; Base = @{ Star = $true; HostCount = 2; Name = 'x' } }
        @{ Cmd = 'Start-NetDhcpServer'; Param = 'LeaseTime'; Kind = 'lease'; Base = @{ Namespace = '<fx>'; Interface = '<ib>'; Range = $range } }
        @{ Cmd = 'Request-NetDhcpClientLease'; Param = 'TimeoutSeconds'; Kind = 'dhcpto'; Base = @{ Namespace = '<fx>'; Interface = '<ib>' } }
        @{ Cmd = 'Connect-OvsPort'; Param = 'Trunk'; Kind = 'trunk'; Base = @{ Bridge = '<br>'; Name = '<rc>' } }
        @{ Cmd = 'Set-OvsVlan'; Param = 'Trunk'; Kind = 'trunk'; Base = @{ Name = '<ra>' } }
        @{ Cmd = 'Remove-NetAddress'; Param = 'PrefixLength'; Kind = 'plen'; Base = @{ Name = '<ib>'; Namespace = '<fx>'; Address = '10.201.0.1' } }
    )
    $script:TableParams = @($table | ForEach-Object { "$($_.Cmd) -$($_.Param)" } | Sort-Object -Unique)
    $script:ValidationCases = foreach ($row in $table) {
        $k = $kinds[$row.Kind]
        foreach ($label in $k.Values.Keys) {
            @{ Cmd = $row.Cmd; Param = $row.Param; Kind = $row.Kind; Base = $row.Base; Label = $label; Value = $k.Values[$label]; Id = $k.Id }
        }
    }
    # Every exported cmdlet that takes a name or value is in the table (Get-OvsConnection takes none).
    $script:TableCmdlets = @($table | ForEach-Object Cmd | Sort-Object -Unique)
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1

    $script:ovs = Start-TestOvs
    $script:fx = New-TestName 'hx'
    $script:ra = New-TestName 'hra'; $script:ib = New-TestName 'hib'
    $script:rc = New-TestName 'hrc'; $script:ic = New-TestName 'hic'
    $script:br = New-TestName 'hbr'
    $script:namespaces = [System.Collections.Generic.List[string]]::new()
    $script:links = [System.Collections.Generic.List[string]]::new()
    $namespaces.Add($fx); $links.AddRange([string[]]@($ra, $rc))
    New-NetNamespace $fx | Out-Null
    Add-VethPair -Name $ib -Namespace $fx -PeerName $ra | Out-Null
    Add-VethPair -Name $ic -Namespace $fx -PeerName $rc | Out-Null
    Add-NetAddress -Namespace $fx -Name $ib 10.201.0.1/24 | Out-Null
    New-OvsBridge $br | Out-Null
    Connect-OvsPort $br $ra | Out-Null

    # What a cmdlet could create or change among the test's own objects (other sessions may work on this host at the same
    # time, so only ours are looked at): the fixture's links and addresses, the private OVS, DHCP state and /etc/netns of
    # the fixture, the OVS setting. Names a case could create are checked by Assert-NotCreated.
    function Get-Snapshot {
        [ordered]@{
            Root       = @(Get-ChildItem /sys/class/net -Name | Where-Object { $_ -in $ra, $rc, $br }) -join ','
            Fixture    = ($script:InnerAddr = & ip -n $fx -br addr) -join ';'
            RootMtu    = (Get-Content "/sys/class/net/$rc/mtu", "/sys/class/net/$rc/address") -join ','
            Ovs        = (& ovs-vsctl "--db=$($ovs.Database)" --format=csv --no-headings --columns=name,tag,trunks,vlan_mode list Port | Sort-Object) -join ';'
            Dhcp       = @(Get-ChildItem /run/netns-ps/dhcp, /run/netns-ps/dhclient -Name -ErrorAction SilentlyContinue | Where-Object { $_ -like "$fx*" }) -join ','
            EtcNetns   = [IO.Directory]::Exists("/etc/netns/$fx")
            Connection = "$((Get-OvsConnection).Database) $((Get-OvsConnection).TimeoutSeconds)"
        } | ConvertTo-Json -Compress
    }

    # No namespace, root link or fixture link of any of these names exists.
    function Assert-NotCreated([string[]] $Name) {
        # The fixture's link names, from the snapshot just taken ('NAME@PEER STATE ...' lines of ip -br addr).
        $inner = @($script:InnerAddr | ForEach-Object { ($_ -split '\s+')[0] -replace '@.*$' })
        $inner | Should -Contain $ib
        foreach ($n in $Name) {
            if (-not $n) { continue }
            [IO.File]::Exists("/run/netns/$n") | Should -BeFalse
            if ($n -notmatch '/') { [IO.Directory]::Exists("/sys/class/net/$n") | Should -BeFalse }
            $inner | Should -Not -Contain $n
        }
    }
    $script:Baseline = Get-Snapshot
}

AfterAll {
    Remove-TestNamespace $script:namespaces
    Remove-TestLink $script:links
    if ($script:ovs) { Stop-TestOvs $script:ovs }
}

Describe 'Bad names and values are refused with InvalidArgument before anything runs' {
    It 'covers every exported cmdlet that takes a name or value' {
        # (Get-OvsConnection has no parameter of that kind; Get-NetNamespaceNat only a wildcard filter.)
        $exported = (Get-Module NetNs).ExportedCmdlets.Keys | Where-Object { $_ -notin 'Get-OvsConnection', 'Get-NetNamespaceNat' } | Sort-Object
        $TableCmdlets | Should -Be $exported
    }

    It 'covers every name or value parameter of every exported cmdlet (the others are validated by the parameter binder, or are objects, paths or filters tested elsewhere)' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        # Objects and script blocks (Definition: tests/LabFuzz.Tests.ps1; InputObject: the UnsupportedInputObject cases), file paths, and a filter.
        # Metric and Table of the route cmdlets are 32-bit numbers the binder checks (every value is a metric; tables: tests/Routes.Tests.ps1);
        # Get-NetNamespaceNat -Namespace is a wildcard filter.
        $elsewhere = 'Definition', 'InputObject', 'ScriptBlock', 'ArgumentList', 'Expected', 'Path', 'Get-NetLink -Kind',
            'Add-NetNsRoute -Metric', 'Add-NetNsRoute -Table', 'Remove-NetNsRoute -Metric', 'Remove-NetNsRoute -Table', 'Get-NetNsRoute -Table', 'Get-NetNamespaceNat -Namespace'
        $missing = foreach ($c in (Get-Module NetNs).ExportedCmdlets.Values) {
            foreach ($pa in $c.Parameters.Values) {
                if ($pa.Name -in $common -or $pa.ParameterType -eq [switch] -or $pa.ParameterType.IsEnum) { continue }
                if ($pa.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] -or $_ -is [System.Management.Automation.ValidateSetAttribute] }) { continue }
                if ($pa.Name -in $elsewhere -or "$($c.Name) -$($pa.Name)" -in $elsewhere -or "$($c.Name) -$($pa.Name)" -in $TableParams) { continue }
                "$($c.Name) -$($pa.Name)"
            }
        }
        $missing | Should -BeNullOrEmpty
    }

    It '<Cmd> -<Param> refuses a <Kind> value (<Label>) with <Id>' -ForEach $ValidationCases {
        $fill = @{ '<fx>' = $fx; '<ra>' = $ra; '<ib>' = $ib; '<rc>' = $rc; '<br>' = $br; '<new>' = (New-TestName 'hn'); '<new2>' = (New-TestName 'hn') }
        $splat = @{}
        foreach ($k in $Base.Keys) {
            $v = $Base[$k]
            $splat[$k] = if ($v -is [string] -and $fill.ContainsKey($v)) { $fill[$v] } else { $v }
        }
        $bad = if ($Value -is [string]) { $Value.Replace('<db>', $ovs.Database) } else { $Value }
        $splat[$Param] = switch ($Kind) {
            'skey' { @{ $bad = '10.201.0.50' } }
            'svalue' { @{ '02:00:00:00:00:09' = $bad } }
            'range' { @($bad, '10.201.0.150') }
            default { $bad }
        }
        $command = Get-Command $Cmd
        if ($command.Parameters.ContainsKey('Confirm')) { $splat.Confirm = $false }
        $e = @()
        $out = try { & $Cmd @splat -ErrorVariable e -ErrorAction SilentlyContinue } catch { $e = @($_) }
        $out | Should -BeNullOrEmpty
        Assert-NetNsError $e $Id 'InvalidArgument'
        $e[0].Exception.Message | Should -BeLike "*-$Param*"
        Get-Snapshot | Should -Be $Baseline
        Assert-NotCreated @($fill['<new>'], $fill['<new2>'], $(if ($bad -is [string]) { $bad }))
    }
}

Describe 'Parallel use' {
    It '32 ForEach-Object -Parallel workers each build a namespace with a veth pair on ONE bridge, then remove it' {
        $prefix = 'hp' + [guid]::NewGuid().ToString('N').Substring(0, 4)
        $all = 1..32 | ForEach-Object { @{ Ns = "$prefix$_"; Inner = "${prefix}e$_"; Root = "${prefix}v$_" } }
        $namespaces.AddRange([string[]]($all | ForEach-Object Ns)); $links.AddRange([string[]]($all | ForEach-Object Root))
        $module = $script:NetNsModule
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $results = $all | ForEach-Object -ThrottleLimit 32 -Parallel {
            Import-Module $using:module
            $o = $_
            try {
                $port = New-NetNamespace $o.Ns -ErrorAction Stop | Add-VethPair -Name $o.Inner -PeerName $o.Root -ErrorAction Stop |
                    Connect-OvsPort -Bridge $using:br -ErrorAction Stop
                [pscustomobject]@{ Ns = $o.Ns; Port = $port; Error = $null }
            } catch { [pscustomobject]@{ Ns = $o.Ns; Port = $null; Error = "$_" } }
        }
        $built = $sw.Elapsed
        $results.Count | Should -Be 32
        $results | Where-Object Error | ForEach-Object { "$($_.Ns): $($_.Error)" } | Should -BeNullOrEmpty
        foreach ($o in $all) {
            $r = $results | Where-Object Ns -eq $o.Ns
            $r.Port.Name | Should -Be $o.Root
            $r.Port.Bridge | Should -Be $br
            $r.Port.PeerName | Should -Be $o.Inner
            $r.Port.PeerNamespace | Should -Be $o.Ns
            $r.Port.OfPort | Should -BeGreaterThan 0
            $inner = Get-NetLink -Namespace $o.Ns -Name $o.Inner
            $inner.PeerName | Should -Be $o.Root
            $inner.PeerNamespace | Should -Be ''
        }
        @(Get-NetNamespace "$prefix*").Count | Should -Be 32
        (Get-OvsPort -Bridge $br | Where-Object Name -like "${prefix}v*").Count | Should -Be 32

        $sw.Restart()
        $removed = $all | ForEach-Object -ThrottleLimit 32 -Parallel {
            Import-Module $using:module
            $o = $_
            try {
                Disconnect-OvsPort $o.Root -Bridge $using:br -ErrorAction Stop
                Remove-NetNamespace $o.Ns -Confirm:$false -ErrorAction Stop
                "ok"
            } catch { "$($o.Ns): $_" }
        }
        $gone = $sw.Elapsed
        $removed | Where-Object { $_ -ne 'ok' } | Should -BeNullOrEmpty
        Get-NetNamespace "$prefix*" | Should -BeNullOrEmpty
        @(Get-ChildItem /sys/class/net -Name | Where-Object { $_ -like "$prefix*" }).Count | Should -Be 0
        Get-OvsPort -Bridge $br | Where-Object Name -like "$prefix*" | Should -BeNullOrEmpty
        Write-Host "    32 parallel workers: built in $([int]$built.TotalMilliseconds) ms, removed in $([int]$gone.TotalMilliseconds) ms"
    }
}

Describe 'Removal is synchronous' {
    It 'creates, connects, removes and at once re-creates the same names 100 times' {
        $n = New-TestName 'hs'; $e = New-TestName 'hse'; $v = New-TestName 'hsv'
        $namespaces.Add($n); $links.Add($v)
        $sw = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 1; $i -le 100; $i++) {
            $port = New-NetNamespace $n -ErrorAction Stop | Add-VethPair -Name $e -PeerName $v -ErrorAction Stop |
                Connect-OvsPort -Bridge $br -KeepTxChecksumOffload -ErrorAction Stop
            $port.Name | Should -Be $v
            Disconnect-OvsPort $v -Bridge $br -ErrorAction Stop
            if ($i % 2) {
                Remove-NetNamespace $n -Confirm:$false -ErrorAction Stop        # takes the veth pair with it
            } else {
                Remove-NetLink $v -Confirm:$false -ErrorAction Stop             # both ends go
                Remove-NetNamespace $n -Confirm:$false -ErrorAction Stop
            }
            [IO.File]::Exists("/run/netns/$n") | Should -BeFalse
            [IO.Directory]::Exists("/sys/class/net/$v") | Should -BeFalse
        }
        $sw.Stop()
        Get-OvsPort -Bridge $br | Where-Object Name -eq $v | Should -BeNullOrEmpty
        Write-Host "    100 create/connect/remove cycles: $([int]$sw.Elapsed.TotalSeconds) s ($([int]($sw.Elapsed.TotalMilliseconds / 100)) ms per cycle)"
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 90   # about 50 s on a busy 2-core host; ovs-vsctl add-port waits for ovs-vswitchd
    }
}

Describe 'Errors of the OVS, DHCP and DNS cmdlets (not covered by Ovs/Dhcp/Dns.Tests.ps1)' {
    BeforeAll {
        $script:br2 = New-TestName 'hb2'
        New-OvsBridge $br2 | Out-Null
        $script:Baseline = Get-Snapshot
        # Runs a command, returns its errors (non-terminating and terminating).
        function Get-Errors([scriptblock] $Script) {
            $e = [System.Collections.Generic.List[object]]::new()
            try {
                & $Script 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $e.Add($_) } }
            } catch { $e.Add($_) }
            , $e.ToArray()
        }
    }
    AfterAll { Remove-OvsBridge $br2 -Confirm:$false -ErrorAction SilentlyContinue }

    It 'Connect-OvsPort: <Case> -> <Id>' -ForEach @(
        @{ Case = 'an object it cannot connect'; Id = 'UnsupportedInputObject'; Cat = 'InvalidArgument'; Run = { 42 | Connect-OvsPort $br } }
        @{ Case = '-NativeVlan without -Trunk'; Id = 'NativeVlanWithoutTrunk'; Cat = 'InvalidArgument'; Run = { Connect-OvsPort $br $rc -NativeVlan 5 } }
        @{ Case = 'a trunk VLAN out of range'; Id = 'InvalidTrunk'; Cat = 'InvalidArgument'; Run = { Connect-OvsPort $br $rc -Trunk 0, 10 } }
        @{ Case = 'a trunk VLAN twice'; Id = 'DuplicateTrunkVlan'; Cat = 'InvalidArgument'; Run = { Connect-OvsPort $br $rc -Trunk 10, 10 } }
        @{ Case = 'a native VLAN outside the trunk'; Id = 'NativeVlanNotInTrunk'; Cat = 'InvalidArgument'; Run = { Connect-OvsPort $br $rc -Trunk 10, 20 -NativeVlan 30 } }
        @{ Case = 'a veth pair with no end in the root namespace'; Id = 'LinkNotInRootNamespace'; Cat = 'InvalidArgument'; Run = {
                [NetNs.Core.Models.VethPair]::new('x1', $fx, 'x2', $fx, $null, $true) | Connect-OvsPort $br } }
        @{ Case = 'a bad bridge name'; Id = 'InvalidInterfaceName'; Cat = 'InvalidArgument'; Run = { Connect-OvsPort 'a:b' $rc } }
    ) {
        $e = Get-Errors $Run
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $e[0].CategoryInfo.Category | Should -Be $Cat
        Get-Snapshot | Should -Be $Baseline
    }

    It 'Connect-OvsPort: a link that is a port of ANOTHER bridge -> PortExists naming that bridge, also with -Force' {
        Connect-OvsPort $br2 $rc | Out-Null
        try {
            foreach ($force in $false, $true) {
                $e = Get-Errors { Connect-OvsPort $br $rc -Force:$force }
                $e[0].FullyQualifiedErrorId | Should -BeLike 'PortExists,*'
                $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
                $e[0].Exception.Message | Should -BeLike "*bridge '$br2'*"
            }
            (Get-OvsPort $rc).Bridge | Should -Be $br2
        } finally { Disconnect-OvsPort $rc }
    }

    It 'Disconnect-OvsPort: a bridge''s own port -> BridgePortNotRemovable; the wrong -Bridge -> PortNotFound' {
        $e = Get-Errors { Disconnect-OvsPort $br }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BridgePortNotRemovable,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e = Get-Errors { Disconnect-OvsPort $ra -Bridge $br2 }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PortNotFound,*'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].Exception.Message | Should -BeLike "*Bridge '$br2' has no port '$ra'*"
        Get-Snapshot | Should -Be $Baseline
    }

    It 'Set-OvsVlan: a bridge''s own port -> BridgePortNotSupported; the wrong -Bridge -> PortNotFound' {
        $e = Get-Errors { Set-OvsVlan $br -Tag 5 }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BridgePortNotSupported,*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $e = Get-Errors { Set-OvsVlan $ra -Bridge $br2 -Tag 5 }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PortNotFound,*'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-Snapshot | Should -Be $Baseline
    }

    It 'New-OvsBridge: the name of a port of another bridge -> BridgeExists' {
        $e = Get-Errors { New-OvsBridge $ra }
        $e[0].FullyQualifiedErrorId | Should -BeLike 'BridgeExists,*'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $e[0].Exception.Message | Should -BeLike "*port of Open vSwitch bridge '$br'*"
        Get-Snapshot | Should -Be $Baseline
    }

    It 'Get-OvsConnection -Test and Get-OvsPort: an unreachable database -> ONE terminating OvsUnreachable' {
        Set-OvsConnection -Database "unix:/tmp/$(New-TestName 'hno')/db.sock" -TimeoutSeconds 2
        try {
            foreach ($run in { Get-OvsConnection -Test }, { Get-OvsPort }, { Disconnect-OvsPort $ra }, { Set-OvsVlan $ra -Tag 5 }) {
                $e = Get-Errors $run
                $e.Count | Should -Be 1
                $e[0].FullyQualifiedErrorId | Should -BeLike 'OvsUnreachable,*'
                $e[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            }
        } finally { Set-OvsConnection -Database $ovs.Database -TimeoutSeconds 10 }
        Get-Snapshot | Should -Be $Baseline
    }

    It 'DHCP: <Case> -> <Id>' -ForEach @(
        @{ Case = 'leases of a server that does not exist'; Id = 'DhcpServerNotFound'; Cat = 'ObjectNotFound'; Run = { Get-NetDhcpLease -Namespace $fx -Interface $ib } }
        @{ Case = 'the log of a server that does not exist'; Id = 'DhcpServerNotFound'; Cat = 'ObjectNotFound'; Run = { Get-NetDhcpServerLog -Namespace $fx -Interface $ib } }
        @{ Case = 'stopping a server in a namespace that does not exist'; Id = 'DhcpServerNotFound'; Cat = 'ObjectNotFound'; Run = { Stop-NetDhcpServer -Namespace 'hnosuchns' -Interface $ib -Confirm:$false } }
        @{ Case = 'releasing a lease NetNs does not hold'; Id = 'DhcpClientNotFound'; Cat = 'ObjectNotFound'; Run = { Remove-NetDhcpClientLease -Namespace $fx -Interface $ib -Confirm:$false } }
        @{ Case = 'a static lease naming a MAC twice'; Id = 'InvalidStaticLease'; Cat = 'InvalidArgument'; Run = {
                Start-NetDhcpServer -Namespace $fx -Interface $ib -Range 10.201.0.100, 10.201.0.150 -StaticLease ([ordered]@{ '02:00:00:00:00:01' = '10.201.0.50'; '02-00-00-00-00-01' = '10.201.0.51' }) } }
        @{ Case = 'a static lease giving an address twice'; Id = 'InvalidStaticLease'; Cat = 'InvalidArgument'; Run = {
                Start-NetDhcpServer -Namespace $fx -Interface $ib -Range 10.201.0.100, 10.201.0.150 -StaticLease ([ordered]@{ '02:00:00:00:00:01' = '10.201.0.50'; '02:00:00:00:00:02' = '10.201.0.50' }) } }
        @{ Case = 'a static lease without an address'; Id = 'InvalidStaticLease'; Cat = 'InvalidArgument'; Run = {
                Start-NetDhcpServer -Namespace $fx -Interface $ib -Range 10.201.0.100, 10.201.0.150 -StaticLease @{ '02:00:00:00:00:01' = $null } } }
        @{ Case = 'a multicast static lease MAC'; Id = 'InvalidMacAddress'; Cat = 'InvalidArgument'; Run = {
                Start-NetDhcpServer -Namespace $fx -Interface $ib -Range 10.201.0.100, 10.201.0.150 -StaticLease @{ '01:00:5e:00:00:01' = '10.201.0.50' } } }
        @{ Case = 'a lease time over a year'; Id = 'InvalidLeaseTime'; Cat = 'InvalidArgument'; Run = {
                Start-NetDhcpServer -Namespace $fx -Interface $ib -Range 10.201.0.100, 10.201.0.150 -LeaseTime ([TimeSpan]::FromDays(400)) } }
        @{ Case = 'an IPv6 range'; Id = 'InvalidAddress'; Cat = 'InvalidArgument'; Run = { Start-NetDhcpServer -Namespace $fx -Interface $ib -Range fd00::10, fd00::20 } }
        @{ Case = 'a client timeout over an hour'; Id = 'InvalidTimeout'; Cat = 'InvalidArgument'; Run = { Request-NetDhcpClientLease -Namespace $fx -Interface $ib -TimeoutSeconds 3601 } }
        @{ Case = 'the DNS of a namespace that does not exist'; Id = 'NamespaceNotFound'; Cat = 'ObjectNotFound'; Run = { Get-NetNamespaceDns -Namespace 'hnosuchns' } }
    ) {
        $e = Get-Errors $Run
        $e[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $e[0].CategoryInfo.Category | Should -Be $Cat
        Get-Snapshot | Should -Be $Baseline
    }
}
