# Lab links and IPv6 on the real kernel, against a private Open vSwitch (tests/LabOvsFixture.ps1): a link without an
# IPv6 address gets no link-local one either (addrgenmode none), both ends; one with an IPv6 address keeps its link-local
# address, and its lab address is added without DAD (usable at once).
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/LabOvsFixture.ps1
    $script:ovs = Start-LabOvs -Prefix 'lab6ovs'
    $script:p = New-TestName 'l6'
    $script:O = @{ OvsSocket = $ovs.Socket; SwitchNamespace = $ovs.Namespace }
    function Get-Inet6([string] $Namespace, [string] $Link) {
        $a = @('-j'); if ($Namespace) { $a += @('-n', $Namespace) }
        @((& ip @a -6 address show dev $Link | ConvertFrom-Json).addr_info)
    }
}

AfterAll {
    foreach ($l in @(Get-NetLab -ErrorAction SilentlyContinue | Where-Object Name -like "$p*")) { Remove-NetLab -Name $l.Name -Confirm:$false -ErrorAction SilentlyContinue }
    Clear-NetLab -Name "$p*" -OvsSocket $ovs.Socket -SwitchNamespace $ovs.Namespace -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
    Stop-LabOvs $ovs
}

Describe 'IPv6 on lab links' {
    It 'a lab of 200 IPv4-only hosts has no IPv6 address on its lab links, and host 1 reaches host 200' {
        $def = New-NetLabDefinition -Star -Name "${p}big" -HostCount 200 -Prefix "${p}h" -Subnet 10.60.0.0/16 -DatapathType Netdev
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $lab = New-NetLab -Definition $def @O -ErrorAction Stop
        $built = $sw.Elapsed.TotalSeconds
        $first = $def.Links[0]; $last = $def.Links[-1]
        $target = ($last.Addresses[0] -split '/')[0]
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-NetNamespaceConnection $first.Namespace $target -Count 1 -TimeoutSeconds 0.5 -Quiet) -and [DateTime]::UtcNow -lt $deadline) { }
        $sw.Stop()
        Write-Host ("  200 IPv4-only hosts: built in {0:0.0} s, first ping host 1 -> host 200 after {1:0.0} s" -f $built, $sw.Elapsed.TotalSeconds)
        (Test-NetNamespaceConnection $first.Namespace $target -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
        $with6 = @(foreach ($l in $def.Links) {
                if ((Get-Inet6 $l.Namespace $l.Name).Count -gt 0) { "$($l.Namespace)/$($l.Name)" }
                if ((Get-Inet6 $ovs.Namespace $l.PeerName).Count -gt 0) { "switch/$($l.PeerName)" }
            })
        $with6 | Should -BeNullOrEmpty
        Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorAction Stop
    }

    It 'a link with an IPv6 address keeps its link-local address, and the lab address is usable at once' {
        $def = @{
            Name       = "${p}v6"
            Bridges    = @(@{ Name = "${p}br"; DatapathType = 'Netdev' })
            Namespaces = @("${p}a", "${p}b")
            Links      = @(
                @{ Namespace = "${p}a"; Name = 'eth1'; Address = @('10.61.0.1/24', 'fd61::1/64'); Bridge = "${p}br"; PeerName = "${p}va" }
                @{ Namespace = "${p}b"; Name = 'eth1'; Address = '10.61.0.2/24'; Bridge = "${p}br"; PeerName = "${p}vb" }
            )
        }
        $lab = New-NetLab -Definition $def @O -ErrorAction Stop
        $a6 = Get-Inet6 "${p}a" eth1
        @($a6 | Where-Object scope -eq 'link').Count | Should -Be 1
        $g = $a6 | Where-Object local -eq 'fd61::1'
        $g.tentative | Should -BeNullOrEmpty
        $g.nodad | Should -BeTrue
        (Get-Inet6 "${p}b" eth1).Count | Should -Be 0
        Remove-NetLab -Name $lab.Name -Confirm:$false -ErrorAction Stop
    }
}
