# A host without the openvswitch kernel module has one userspace (netdev) datapath. A second Open vSwitch instance
# cannot open it: New-OvsBridge must say so and leave no bridge behind (ovs-vsctl itself exits 0 there).
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:first = Start-TestOvs
    $script:br1 = New-TestName 'dpa'
    $script:br2 = New-TestName 'dpb'
    New-OvsBridge -Name $br1 -DatapathType Netdev | Out-Null
    $script:second = Start-TestOvs -AllowNetdevConflict
}

AfterAll {
    if ($script:second) { Stop-TestOvs $script:second }
    if ($script:first) {
        & ovs-vsctl "--db=$($first.Database)" --if-exists del-br $br1 2>$null
        Stop-TestOvs $script:first
    }
}

Describe 'A second Open vSwitch instance and the single userspace datapath' {
    It 'New-OvsBridge writes BridgeDatapathFailed naming ovs-netdev, and removes the bridge again' {
        Set-OvsConnection -Database $second.Database
        New-OvsBridge -Name $br2 -DatapathType Netdev -ErrorVariable ev -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'BridgeDatapathFailed,*'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $ev[0].Exception.Message | Should -Match 'ovs-netdev'
        (& ovs-vsctl "--db=$($second.Database)" list-br) | Should -Not -Contain $br2
    }

    It 'the first instance''s bridge still works' {
        Set-OvsConnection -Database $first.Database
        (Get-OvsBridge -Name $br1).DatapathType | Should -Be 'netdev'
    }
}
