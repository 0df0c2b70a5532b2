# The connectivity matrix on a real 50-host lab (private Open vSwitch, userspace datapath): it must not lie. Three full
# runs in a row report every reachable pair reachable and the host on another VLAN unreachable, each run within 15 s.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs -InNamespace -Prefix 'mxovs'
    $script:p = New-TestName 'mx'
    $script:lab = "${p}lab"
    # 50 hosts on VLAN 100, except host 50 on VLAN 200: isolated from all others.
    $links = foreach ($i in 1..50) {
        @{ Namespace = "${p}h$i"; Name = 'eth0'; Bridge = "${p}br"; PeerName = "v${p}h$i"; Address = "10.77.0.$i/24"; Tag = $(if ($i -eq 50) { 200 } else { 100 }) }
    }
    $def = @{ Name = $lab; Bridges = @(@{ Name = "${p}br"; DatapathType = 'Netdev' }); Namespaces = @(1..50 | ForEach-Object { "${p}h$_" }); Links = @($links) }
    New-NetLab -Definition $def -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace | Out-Null
}

AfterAll {
    Remove-NetLab -Name $lab -Confirm:$false -ErrorAction SilentlyContinue
    Clear-NetLab -Name $lab -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    Stop-TestOvs $ovs
}

Describe 'Test-NetLabConnectivity on a 50-host lab' {
    It 'run <_> of 3: 2,450 pairs, 0 differences, the other VLAN unreachable, within 15 s' -ForEach 1, 2, 3 {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $m = Test-NetLabConnectivity -Name $lab -ExpectTopology -WarningVariable warn -WarningAction SilentlyContinue
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 15
        $m.Count | Should -Be 2450
        @($m | Where-Object Differs).Count | Should -Be 0
        # 49 x 48 pairs on VLAN 100 reach each other; nothing crosses to or from host 50.
        @($m | Where-Object Reachable).Count | Should -Be (49 * 48)
        @($m | Where-Object { $_.Source -eq "${p}h50" -or $_.Destination -eq "${p}h50" } | Where-Object Reachable).Count | Should -Be 0
        @($m | Where-Object { $_.Reachable -and $null -eq $_.RttMs }).Count | Should -Be 0
        $warn | Should -BeNullOrEmpty
        # The neighbour entries the probes made are gone again: the host's one ARP table is left as it was.
        foreach ($i in 1, 25, 50) { @(& ip -n "${p}h$i" -4 neigh show) | Should -BeNullOrEmpty }
    }

    It 'samples a ring with -Sample: each namespace probes the next K' {
        $m = Test-NetLabConnectivity -Name $lab -ExpectTopology -Sample 3
        $m.Count | Should -Be 150
        @($m | Where-Object Source -eq "${p}h1").Destination | Should -Be @("${p}h2", "${p}h3", "${p}h4")
        @($m | Where-Object Differs).Count | Should -Be 0
    }

    It 'shows the in-process probe in -Verbose' {
        $v = @(Test-NetLabConnectivity -Name $lab -Sample 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        ($v.Message -join "`n") | Should -Match 'ICMP echo: 50 pairs from 50 namespaces.*in process: raw ICMP sockets'
    }
}
